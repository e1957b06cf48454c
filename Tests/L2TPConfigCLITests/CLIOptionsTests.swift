import Testing

@testable import L2TPConfigCLI

@Suite struct CLIOptionsTests {
    @Test func flagsAndCommandWords() throws {
        let options = try CLIOptions.parse(["-q", "-j", "-S", "/tmp/s.sock", "tunnel", "list", "-x"], environment: [:])
        #expect(options.quiet && options.json)
        #expect(options.socketPath == "/tmp/s.sock")
        #expect(options.mode(stdinIsTerminal: true) == .oneShot("tunnel list -x"))
    }

    @Test func clusteredFlagsRemoteAndTCP() throws {
        let options = try CLIOptions.parse(["-qt", "-R", "gw.example:4000", "--json"], environment: [:])
        #expect(options.quiet && options.useTCP && options.json)
        #expect(options.remoteHost == "gw.example:4000")
        #expect(DaemonConnection(options: options).endpoint == .tcp("gw.example:4000"))
        let local = try CLIOptions.parse(["-t"], environment: [:])
        #expect(DaemonConnection(options: local).endpoint == .tcp("127.0.0.1"))
    }

    @Test func socketFromEnvironmentAndDefault() throws {
        #expect(try CLIOptions.parse([], environment: ["L2TP_SOCKET": "/x.sock"]).socketPath == "/x.sock")
        #expect(try CLIOptions.parse([], environment: [:]).socketPath == "/run/openl2tpd/l2tpd.sock")
    }

    @Test func modeFollowsTerminalAndScriptOption() throws {
        let none = try CLIOptions.parse([], environment: [:])
        #expect(none.mode(stdinIsTerminal: true) == .interactive)
        #expect(none.mode(stdinIsTerminal: false) == .script(path: "-"))
        let file = try CLIOptions.parse(["-f", "cmds.txt"], environment: [:])
        #expect(file.mode(stdinIsTerminal: true) == .script(path: "cmds.txt"))
    }

    @Test(arguments: [["-x"], ["-R"], ["--bogus"], ["-f", "a", "tunnel", "list"]])
    func badOptionsAreUsageErrors(_ arguments: [String]) {
        #expect(throws: CLIError.self) { try CLIOptions.parse(arguments, environment: [:]) }
        do {
            _ = try CLIOptions.parse(arguments, environment: [:])
        } catch {
            #expect(error.exitStatus == .usage)
            #expect(error.message.contains("usage: l2tpconfig"))
        }
    }

    @Test func shellWordsAreQuotedAgain() {
        let line = CLIOptions.commandLine(from: [
            "tunnel", "create", "secret=two words", "host_name=a\"b", "dest_ipaddr=1.2.3.4",
        ])
        #expect(line == #"tunnel create secret="two words" host_name="a\"b" dest_ipaddr=1.2.3.4"#)
    }
}

@Suite struct HistorySettingsTests {
    @Test func defaultsToHomeAnd500() {
        let settings = HistorySettings(environment: ["HOME": "/home/bert"])
        #expect(settings.path == "/home/bert/.l2tp_history")
        #expect(settings.size == 500)
    }

    @Test func environmentOverrides() {
        let settings = HistorySettings(environment: [
            "HOME": "/h", "L2TP_HISTFILE": "/tmp/h", "L2TP_HISTFILESIZE": "20",
        ])
        #expect(settings.path == "/tmp/h")
        #expect(settings.size == 20)
        #expect(HistorySettings(environment: ["L2TP_HISTFILESIZE": "junk"]).size == 500)
        #expect(HistorySettings(environment: ["L2TP_HISTFILE": ""]).path == nil)
    }
}
