/// The whole command tree shared by l2tpconfig and /etc/openl2tpd.conf.
public struct CommandTable: Sendable {
    public let root: CommandNode

    public init(root: CommandNode) {
        self.root = root
    }

    public var commands: [CommandSpec] {
        var result: [CommandSpec] = []
        func walk(_ node: CommandNode) {
            if let command = node.command { result.append(command) }
            node.children.forEach(walk)
        }
        walk(root)
        return result
    }

    public func spec(for path: CommandPath) -> CommandSpec? {
        var node = root
        for word in path.words {
            guard let next = node.child(word) else { return nil }
            node = next
        }
        return node.command
    }

    /// The standard OpenL2TP command tree.
    public static let standard = CommandTable(
        root: CommandNode(
            "", "",
            [
                CommandNode(
                    "system", "daemon-wide settings and status",
                    [
                        CommandNode(
                            "modify",
                            CommandSpec(
                                .systemModify, "change system settings", parameters: ParameterTables.system,
                                inConfigFile: true)),
                        CommandNode(
                            "show",
                            CommandSpec(
                                .systemShow, "show configuration, status, statistics or version",
                                keywords: [[.configuration, .status, .statistics, .version]])),
                    ]),
                CommandNode(
                    "tunnel", "L2TP tunnels and tunnel profiles",
                    [
                        CommandNode(
                            "create",
                            CommandSpec(
                                .tunnelCreate, "set up a tunnel to a peer", parameters: ParameterTables.tunnelCreate,
                                inConfigFile: true)),
                        CommandNode(
                            "delete",
                            CommandSpec(
                                .tunnelDelete, "tear a tunnel down", parameters: tunnelIdentity,
                                requiredOneOf: [[.tunnelID, .tunnelName]],
                                mutuallyExclusive: [[.tunnelID, .tunnelName]])),
                        CommandNode(
                            "modify",
                            CommandSpec(
                                .tunnelModify, "change a live tunnel",
                                parameters: tunnelIdentity + ParameterTables.tunnelModifiable,
                                requiredOneOf: [[.tunnelID, .tunnelName]],
                                mutuallyExclusive: [[.tunnelID, .tunnelName]], inConfigFile: true)),
                        CommandNode(
                            "show",
                            CommandSpec(
                                .tunnelShow, "show one tunnel", parameters: tunnelIdentity,
                                requiredOneOf: [[.tunnelID, .tunnelName]],
                                mutuallyExclusive: [[.tunnelID, .tunnelName]],
                                keywords: [[.config], [.transport]])),
                        CommandNode(
                            "list",
                            CommandSpec(.tunnelList, "list tunnels", keywords: [[.localOnly, .remoteOnly], [.names]])),
                        profileNode(.tunnel),
                    ]),
                CommandNode(
                    "session", "sessions in tunnels and session profiles",
                    [
                        CommandNode(
                            "create",
                            CommandSpec(
                                .sessionCreate, "set up a session in a tunnel",
                                parameters: ParameterTables.sessionCreate,
                                requiredOneOf: [[.tunnelID, .tunnelName]],
                                mutuallyExclusive: [[.tunnelID, .tunnelName]], inConfigFile: true)),
                        CommandNode(
                            "delete",
                            CommandSpec(
                                .sessionDelete, "tear a session down", parameters: sessionIdentity,
                                requiredOneOf: sessionRequired, mutuallyExclusive: sessionRequired)),
                        CommandNode(
                            "modify",
                            CommandSpec(
                                .sessionModify, "change a live session", parameters: ParameterTables.sessionModify,
                                requiredOneOf: sessionRequired, mutuallyExclusive: sessionRequired, inConfigFile: true)),
                        CommandNode(
                            "show",
                            CommandSpec(
                                .sessionShow, "show one session", parameters: sessionIdentity,
                                requiredOneOf: sessionRequired, mutuallyExclusive: sessionRequired)),
                        CommandNode(
                            "list",
                            CommandSpec(
                                .sessionList, "list the sessions of a tunnel", parameters: tunnelIdentity,
                                requiredOneOf: [[.tunnelID, .tunnelName]],
                                mutuallyExclusive: [[.tunnelID, .tunnelName]],
                                keywords: [[.localOnly, .remoteOnly], [.names]])),
                        profileNode(.session),
                    ]),
                CommandNode("ppp", "PPP profiles", [profileNode(.ppp)]),
                CommandNode(
                    "peer", "peers and peer profiles",
                    [
                        profileNode(.peer),
                        CommandNode(
                            "show",
                            CommandSpec(
                                .peerShow, "show what is known about a peer",
                                parameters: [
                                    ParameterSpec(.peerIPAddress, .ipv4Address, "address of the peer").required(),
                                    ParameterSpec(
                                        .localIPAddress, .ipv4Address, notSet: "any", "our address used with the peer"),
                                ])),
                        CommandNode("list", CommandSpec(.peerList, "list known peers")),
                    ]),
                CommandNode(
                    "user", "PPP users",
                    [
                        CommandNode("list", CommandSpec(.userList, "list logged-in PPP users"))
                    ]),
                CommandNode(
                    "debug", "trace flags of a running entity",
                    [
                        CommandNode(
                            "modify",
                            CommandSpec(
                                .debugModify, "set trace flags of the system, a tunnel or a session",
                                parameters: debugTarget + [
                                    ParameterSpec(.traceFlags, .traceFlags, "trace categories to enable").required()
                                ],
                                mutuallyExclusive: sessionRequired, inConfigFile: true)),
                        CommandNode(
                            "show",
                            CommandSpec(
                                .debugShow, "show trace flags of the system, a tunnel or a session",
                                parameters: debugTarget, mutuallyExclusive: sessionRequired)),
                    ]),
                CommandNode(
                    "config", "save and restore the running configuration",
                    [
                        CommandNode(
                            "save",
                            CommandSpec(
                                .configSave, "write the running configuration as commands",
                                parameters: [
                                    ParameterSpec(
                                        .file, .string(maxLength: 4_095), notSet: "standard output", "file to write")
                                ])),
                        CommandNode(
                            "restore",
                            CommandSpec(
                                .configRestore, "read commands from a file",
                                parameters: [
                                    ParameterSpec(.file, .string(maxLength: 4_095), "file to read").required()
                                ])),
                    ]),
            ]))

    // MARK: - Building blocks

    static let tunnelIdentity = [ParameterTables.tunnelID, ParameterTables.tunnelName]
    static let sessionIdentity = tunnelIdentity + [ParameterTables.sessionID, ParameterTables.sessionName]
    static let sessionRequired: [[ParameterName]] = [[.tunnelID, .tunnelName], [.sessionID, .sessionName]]
    static let debugTarget = sessionIdentity

    static func profileNode(_ kind: ProfileKind) -> CommandNode {
        let name = ParameterTables.profileName(kind)
        let all = [name] + ParameterTables.profile(kind)
        let k = kind.rawValue
        return CommandNode(
            "profile", "\(k) profiles",
            [
                CommandNode(
                    "create",
                    CommandSpec(.profile(kind, .create), "create a \(k) profile", parameters: all, inConfigFile: true)),
                CommandNode(
                    "modify",
                    CommandSpec(.profile(kind, .modify), "change a \(k) profile", parameters: all, inConfigFile: true)),
                CommandNode(
                    "delete",
                    CommandSpec(
                        .profile(kind, .delete), "delete a \(k) profile", parameters: [name], inConfigFile: true)),
                CommandNode("show", CommandSpec(.profile(kind, .show), "show a \(k) profile", parameters: [name])),
                CommandNode("list", CommandSpec(.profile(kind, .list), "list \(k) profiles")),
                CommandNode(
                    "unset",
                    CommandSpec(
                        .profile(kind, .unset), "reset named \(k) profile parameters to their defaults",
                        parameters: all, takesParameterNames: true, inConfigFile: true)),
            ])
    }
}
