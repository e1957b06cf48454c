import Foundation
import Logging
import TestSupport
import Testing

@testable import L2TPManagement

/// rpcbind holds one mapping per program and version for the whole host: a
/// daemon that stops must not remove a mapping another instance made since.
/// Uses a program number from the user-defined range so that tests of
/// program 300773 running beside it are not disturbed.
@Suite struct RPCBindOwnershipTests {
    @Test func unregisterLeavesAnotherInstancesMappingAlone() async throws {
        guard RPCBindService.proceed(RPCBindService.ensureRunning(), test: "rpcbind ownership test") else { return }
        let program = UInt32(0x2f00_0000) + UInt32(getpid() & 0xffff)
        let logger = Logger(label: "ownership") { _ in SwiftLogNoOpLogHandler() }
        let first = try #require(
            await RPCBindRegistration.register(program: program, version: 1, port: 40001, logger: logger))
        #expect(RPCBindRegistration.mappedTCPPort(program: program, version: 1) == 40001)
        let second = try #require(
            await RPCBindRegistration.register(program: program, version: 1, port: 40002, logger: logger))
        #expect(RPCBindRegistration.mappedTCPPort(program: program, version: 1) == 40002)
        await first.unregister()
        #expect(
            RPCBindRegistration.mappedTCPPort(program: program, version: 1) == 40002,
            "the second instance's mapping stays")
        await second.unregister()
        #expect(RPCBindRegistration.mappedTCPPort(program: program, version: 1) == nil)
    }
}
