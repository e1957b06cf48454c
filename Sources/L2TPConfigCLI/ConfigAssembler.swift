import L2TPConfig
import L2TPManagement

/// `config save` for a daemon without L2TP_CONFIG_SAVE (it answers
/// "not supported"): the configuration is read back with get/list calls and
/// written with L2TPConfig's `ConfigSerializer`, so the text is the same form
/// the daemon would write and `config restore` / `openl2tpd -c` read.
///
/// Fields named like a parameter of the matching create command are taken
/// when they differ from the parameter's default; read-only fields (state,
/// counters) are not parameters and drop out.
struct ConfigAssembler {
    let connection: any ManagementCalling
    let table: CommandTable
    private let fieldText = FieldText()

    func text() throws(CLIError) -> String {
        var model = ConfigModel()
        var problems: [String] = []

        let system = try call(.systemGet, [:], "system show")
        if let record = system.first {
            let values = parameters(of: record, for: .systemModify)
            if !values.isEmpty { apply(ParsedCommand(path: .systemModify, arguments: values), to: &model, &problems) }
        }
        for kind in [ProfileKind.ppp, .session, .tunnel, .peer] {
            let names = try call(RequestBuilder.profileProcedure(kind, .list), [:], "\(kind.rawValue) profile list")
                .compactMap { $0["profile_name"].map { fieldText.plain($0) } }
            for name in names {
                let shown = try call(
                    RequestBuilder.profileProcedure(kind, .show), ["profile_name": name],
                    "\(kind.rawValue) profile show")
                guard let record = shown.first else { continue }
                problems += maskedSecrets(record, in: "\(kind.rawValue) profile '\(name)'")
                var values = parameters(of: record, for: .profile(kind, .create))
                values[.profileName] = .string(name)
                let action: ProfileAction = name == "default" ? .modify : .create
                if action == .modify && values.count == 1 { continue }
                apply(ParsedCommand(path: .profile(kind, action), arguments: values), to: &model, &problems)
            }
        }
        if !model.profiles.danglingReferences().isEmpty {
            problems += model.profiles.danglingReferences().map(\.description)
        }
        if !problems.isEmpty {
            throw .refused(.failure(.invalidArgument, problems.joined(separator: "; ")), command: "config save")
        }
        return ConfigSerializer.text(
            for: model, appending: try liveObjects(),
            header: "openl2tpd configuration written by 'config save' (assembled by l2tpconfig)")
    }

    /// Locally created tunnels and their locally created sessions.
    private func liveObjects() throws(CLIError) -> [ParsedCommand] {
        var commands: [ParsedCommand] = []
        for listed in try call(.tunnelList, ["local_only": "yes"], "tunnel list") {
            guard let id = listed["tunnel_id"].map({ fieldText.plain($0) }) else { continue }
            guard let tunnel = try call(.tunnelGet, ["tunnel_id": id], "tunnel show").first,
                tunnel.createdRemotely != true
            else { continue }
            var arguments = parameters(of: tunnel, for: .tunnelCreate)
            // A live tunnel's record may name its peer `peer_ipaddr` only.
            if arguments[.destIPAddress] == nil, case .ipv4(let peer)? = tunnel.peerAddress {
                arguments[.destIPAddress] = .ipv4(IPv4Address(peer))
            }
            commands.append(ParsedCommand(path: .tunnelCreate, arguments: arguments))
            let tunnelName = tunnel["tunnel_name"].map { fieldText.plain($0) }
            for listedSession in try call(.sessionList, ["tunnel_id": id], "session list") {
                guard let sessionID = listedSession["session_id"].map({ fieldText.plain($0) }) else { continue }
                guard
                    let session = try call(.sessionGet, ["tunnel_id": id, "session_id": sessionID], "session show")
                        .first,
                    session.createdRemotely != true
                else { continue }
                var arguments = parameters(of: session, for: .sessionCreate)
                arguments[.tunnelID] = nil
                if let tunnelName, !tunnelName.isEmpty {
                    arguments[.tunnelName] = .string(tunnelName)
                } else {
                    // Ids change when the file is read back; only named tunnels
                    // can carry sessions across a restore.
                    continue
                }
                commands.append(ParsedCommand(path: .sessionCreate, arguments: arguments))
            }
        }
        return commands
    }

    private func call(_ procedure: ManagementProcedure, _ parameters: KeyValuePairs<String, String>, _ command: String)
        throws(CLIError) -> [ManagementRecord]
    {
        let reply = try connection.call(procedure, ManagementRequest(parameters))
        guard reply.status.isSuccess else { throw .refused(reply, command: command) }
        return reply.records
    }

    /// The record's fields that are parameters of `path`, as typed values,
    /// leaving out unset fields, defaults and unset addresses (0.0.0.0).
    func parameters(of record: ManagementRecord, for path: CommandPath) -> [ParameterName: ConfigValue] {
        guard let spec = table.spec(for: path) else { return [:] }
        var values: [ParameterName: ConfigValue] = [:]
        for field in record.fields {
            guard let name = ParameterName(rawValue: field.name), let parameter = spec.parameter(name) else { continue }
            switch field.value {
            case .none, .ipv4(0): continue
            case .string(let text) where text.isEmpty: continue
            default: break
            }
            guard case .success(let value) = parameter.type.parse(fieldText.plain(field.value, field: field.name)),
                value != parameter.defaultValue
            else { continue }
            values[name] = value
        }
        return values
    }

    /// A daemon that masks secrets in show output also answers config save
    /// itself; if one did not, the mask must not be saved as the secret.
    func maskedSecrets(_ record: ManagementRecord, in object: String) -> [String] {
        record.fields.compactMap { field in
            guard ParameterName(rawValue: field.name)?.isSecret == true, field.value == .string(SecretMask.text)
            else { return nil }
            return "\(object): the daemon shows \(field.name) masked, so it cannot be saved from here"
        }
    }

    private func apply(_ command: ParsedCommand, to model: inout ConfigModel, _ problems: inout [String]) {
        do {
            try model.apply(command, references: .deferred)
        } catch {
            problems.append("\(command.path): \(error.message)")
        }
    }
}
