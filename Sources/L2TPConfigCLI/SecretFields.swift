import L2TPConfig
import L2TPManagement

/// A field named like a secret parameter (`secret`, `user_password`:
/// `ParameterName.isSecret`) is printed as `SecretMask.text`, in text and
/// JSON, whatever the daemon sent: an openl2tpd older than the masking sends
/// profile secrets in clear. Unset stays unset. `config save` is text, not
/// records, and keeps its secrets.
extension ManagementField {
    var shownValue: ManagementValue {
        guard let parameter = ParameterName(rawValue: name), parameter.isSecret else { return value }
        switch value {
        case .none: return value
        case .string(let given) where given.isEmpty: return value
        default: return .string(SecretMask.text)
        }
    }
}

extension ManagementRecord {
    /// The field `name` as printed (`ManagementField.shownValue`).
    func shownValue(_ name: String) -> ManagementValue? {
        self[name].map { ManagementField(name, $0).shownValue }
    }
}
