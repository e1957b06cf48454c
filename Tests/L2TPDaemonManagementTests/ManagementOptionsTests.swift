import Testing

@testable import L2TPDaemon

/// The daemon options that place the management service.
@Suite struct ManagementOptionsTests {
    @Test func defaultsServeTheStandardSocketAndLoopbackTCP() throws {
        let options = try DaemonOptions.parse([])
        #expect(options.rpcSocket == "/run/openl2tpd/l2tpd.sock")
        #expect(options.rpcTCP)
        #expect(!options.allowRemoteManagement)
    }

    @Test func socketPathTCPAndRemoteAreOptions() throws {
        let options = try DaemonOptions.parse(["--rpc-socket", "/tmp/x.sock", "--no-rpc-tcp", "-R"])
        #expect(options.rpcSocket == "/tmp/x.sock")
        #expect(!options.rpcTCP)
        #expect(options.allowRemoteManagement)
        #expect(try DaemonOptions.parse(["--rpc-socket=/tmp/y.sock"]).rpcSocket == "/tmp/y.sock")
        #expect(DaemonOptions.usage.contains("--no-rpc-tcp"))
    }

    @Test func rpcSocketWithoutAValueIsAUsageError() {
        #expect(throws: DaemonError.usage("option --rpc-socket needs a value")) {
            try DaemonOptions.parse(["--rpc-socket"])
        }
    }
}
