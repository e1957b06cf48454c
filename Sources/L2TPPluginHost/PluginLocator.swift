#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns `-p` names into files, the way the old daemon's users expect:
/// `ipsec`, `ipsec.so` and `/path/to/ipsec.so` all work.
struct PluginLocator {
    var directory: String

    /// A name with a `/` is a path, used as is. A bare name is looked up in
    /// the plugin directory as `NAME.so`, `libNAME.so` (how SwiftPM names
    /// dynamic libraries) and `NAME`; `NAME.so` as `NAME.so` and
    /// `libNAME.so`. The first existing file wins. When none exists the
    /// first candidate is returned so that dlopen reports the missing file.
    func path(for nameOrPath: String) -> String {
        if nameOrPath.contains("/") { return nameOrPath }
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        let candidates =
            nameOrPath.hasSuffix(".so")
            ? [base + nameOrPath, base + "lib" + nameOrPath]
            : [base + nameOrPath + ".so", base + "lib" + nameOrPath + ".so", base + nameOrPath]
        return candidates.first { access($0, F_OK) == 0 } ?? candidates[0]
    }
}

/// A `-p` argument: `NAME[:ARGUMENTS]`. Everything after the first `:` is given
/// verbatim to the plugin's init (by convention `key=value,key=value`).
public struct PluginSpec: Hashable, Sendable {
    public var nameOrPath: String
    public var arguments: String

    public init(nameOrPath: String, arguments: String = "") {
        self.nameOrPath = nameOrPath
        self.arguments = arguments
    }

    public init(commandLineArgument: String) {
        if let colon = commandLineArgument.firstIndex(of: ":") {
            nameOrPath = String(commandLineArgument[..<colon])
            arguments = String(commandLineArgument[commandLineArgument.index(after: colon)...])
        } else {
            nameOrPath = commandLineArgument
            arguments = ""
        }
    }
}
