import L2TPConfig
import Testing
@testable import L2TPDaemon

@Suite struct DaemonOptionsTests {
    @Test func defaultsMatchOpenL2TP() throws {
        let options = try DaemonOptions.parse([])
        #expect(options.configFile == "/etc/openl2tpd.conf")
        #expect(options.udpPort == 1701)
        #expect(!options.foreground)
        #expect(options.syslogFacility == .daemon)
        #expect(options.plugins.isEmpty)
    }

    @Test func everyOption() throws {
        let options = try DaemonOptions.parse([
            "-f", "-c", "/tmp/x.conf", "-d", "PROTOCOL,FSM", "-D", "-p", "ipsec.so", "-p", "ppp_null",
            "-u", "17010", "-R", "-P", "/tmp/x.pid", "-L", "local3", "-y", "4", "--pcap", "/tmp/x.pcap",
        ])
        #expect(options.foreground)
        #expect(options.configFile == "/tmp/x.conf")
        #expect(options.traceFlags == [.protocolMessages, .fsm])
        #expect(options.traceDefaultProfiles)
        #expect(options.plugins == ["ipsec.so", "ppp_null"])
        #expect(options.udpPort == 17010)
        #expect(options.allowRemoteManagement)
        #expect(options.pidFile == "/tmp/x.pid")
        #expect(options.syslogFacility.name == "local3")
        #expect(options.maxStartingPPP == 4)
        #expect(options.pcapFile == "/tmp/x.pcap")
    }

    @Test func attachedValuesAndGroupedFlags() throws {
        let options = try DaemonOptions.parse(["-fD", "-u17011", "-d", "3", "--pcap=/tmp/t.pcap"])
        #expect(options.foreground && options.traceDefaultProfiles)
        #expect(options.udpPort == 17011)
        #expect(options.traceFlags == [.protocolMessages, .fsm])
        #expect(options.pcapFile == "/tmp/t.pcap")
    }

    @Test(arguments: [
        (["-u", "0"], "-u: '0' is not a UDP port"),
        (["-u", "70000"], "-u: '70000' is not a UDP port"),
        (["-L", "kernel9"], "-L: 'kernel9' is not a syslog facility"),
        (["-d", "LOUD"], "-d:"),
        (["-c"], "option -c needs a value"),
        (["-x"], "unknown option -x"),
        (["stray"], "unexpected argument 'stray'"),
        (["--frobnicate"], "unknown option --frobnicate"),
    ])
    func badOptionsNameTheOption(arguments: [String], message: String) {
        #expect {
            try DaemonOptions.parse(arguments)
        } throws: { error in
            guard let error = error as? DaemonError else { return false }
            return error.isUsage && error.message.hasPrefix(message)
        }
    }

    @Test func facilityNames() {
        #expect(SyslogFacility(name: "LOG_LOCAL7")?.name == "local7")
        #expect(SyslogFacility(name: "Daemon") == .daemon)
        #expect(SyslogFacility(name: "nope") == nil)
    }
}
