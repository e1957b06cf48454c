/// What `show` output prints in place of a secret parameter
/// (`ParameterName.isSecret`): that it is set, never its text nor its
/// length. Text and JSON alike, in the daemon and in l2tpconfig; only
/// `config save` (`ConfigSerializer`) writes the value itself.
public enum SecretMask {
    /// Shown for a secret that is set.
    public static let text = "********"

    /// `value` as a show command prints parameter `name`: a secret that is
    /// set becomes `text`; an unset one stays unset, so "no secret" is still
    /// visible.
    public static func shown(_ value: ConfigValue, for name: ParameterName) -> ConfigValue {
        guard name.isSecret else { return value }
        switch value {
        case .notSet: return value
        case .string(let given) where given.isEmpty: return value
        default: return .string(Self.text)
        }
    }
}
