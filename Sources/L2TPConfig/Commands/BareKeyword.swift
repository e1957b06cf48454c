/// Arguments written as a bare word (no `=`), where the interface has them:
/// `system show status`, `tunnel list local_only`, `tunnel show ... config`.
public enum BareKeyword: String, CaseIterable, Hashable, Sendable {
    case configuration, status, statistics, version
    case localOnly = "local_only"
    case remoteOnly = "remote_only"
    case names
    case config, transport
}
