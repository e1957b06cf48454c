import Foundation
import Testing

@testable import L2TPManagement
@testable import ONCRPC

/// The Swift interface must be exactly docs/l2tp_rpc.x.
@Suite struct ManagementInterfaceTests {
    static let definition: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("docs/l2tp_rpc.x"), encoding: .utf8)) ?? ""
    }()

    /// `NAME(...) = N;` and `const NAME = N;` pairs from the .x file.
    static func numbers(matching pattern: String) -> [String: Int] {
        let regex = try! NSRegularExpression(pattern: pattern)
        let text = definition as NSString
        var result: [String: Int] = [:]
        for match in regex.matches(in: definition, range: NSRange(location: 0, length: text.length)) {
            result[text.substring(with: match.range(at: 1))] = Int(text.substring(with: match.range(at: 2)))
        }
        return result
    }

    @Test func procedureNumbersMatchTheXDRFile() {
        let procedures = Self.numbers(matching: #"(L2TP_[A-Z_]+)\([a-z_0-9]+\)\s*=\s*(\d+);"#)
        #expect(procedures.count == ManagementProcedure.allCases.count)
        for procedure in ManagementProcedure.allCases {
            #expect(procedures[procedure.xdrName] == Int(procedure.rawValue), "\(procedure.xdrName)")
        }
        #expect(Self.definition.contains("} = \(L2TPManagementProtocol.version);"))
        #expect(Self.definition.contains("} = \(L2TPManagementProtocol.program);"))
    }

    @Test func boundsAndErrorCodesMatchTheXDRFile() {
        let constants = Self.numbers(matching: #"const\s+([A-Z_0-9]+)\s*=\s*(\d+);"#)
        #expect(constants["L2TP_MAX_NAME_LEN"] == L2TPManagementProtocol.maxNameLength)
        #expect(constants["L2TP_MAX_VALUE_LEN"] == L2TPManagementProtocol.maxParameterValueLength)
        #expect(constants["L2TP_MAX_PARAMS"] == L2TPManagementProtocol.maxParameters)
        #expect(constants["L2TP_MAX_MESSAGE_LEN"] == L2TPManagementProtocol.maxMessageLength)
        let codes: [(String, ManagementStatus)] = [
            ("L2TP_ERR_UNKNOWN_PARAMETER", .unknownParameter), ("L2TP_ERR_BAD_PARAMETER_VALUE", .badParameterValue),
            ("L2TP_ERR_MISSING_PARAMETER", .missingParameter),
            ("L2TP_ERR_PARAMETER_NOT_MODIFIABLE", .parameterNotModifiable),
            ("L2TP_ERR_TUNNEL_NOT_FOUND", .tunnelNotFound), ("L2TP_ERR_SESSION_NOT_FOUND", .sessionNotFound),
            ("L2TP_ERR_PROFILE_NOT_FOUND", .profileNotFound), ("L2TP_ERR_PEER_NOT_FOUND", .peerNotFound),
            ("L2TP_ERR_TUNNEL_EXISTS", .tunnelExists), ("L2TP_ERR_SESSION_EXISTS", .sessionExists),
            ("L2TP_ERR_PROFILE_EXISTS", .profileExists), ("L2TP_ERR_DEFAULT_PROFILE", .defaultProfileNotDeletable),
            ("L2TP_ERR_LIMIT_REACHED", .limitReached), ("L2TP_ERR_CREATION_DENIED", .creationDenied),
            ("L2TP_ERR_CONFLICTING_PARAMETERS", .conflictingParameters), ("L2TP_ERR_WRONG_STATE", .wrongState),
        ]
        #expect(constants.keys.filter { $0.hasPrefix("L2TP_ERR_") }.count == codes.count)
        for (name, status) in codes {
            #expect(constants[name].map { -Int32($0) } == status.rawValue, "\(name)")
        }
    }

    @Test func requestEncodesAsParameterArray() throws {
        let request = ManagementRequest(["dest_ipaddr": "192.0.2.1", "persist": "yes"])
        let expected: [UInt8] =
            [0, 0, 0, 2]
            + [0, 0, 0, 11] + Array("dest_ipaddr".utf8) + [0]
            + [0, 0, 0, 9] + Array("192.0.2.1".utf8) + [0, 0, 0]
            + [0, 0, 0, 7] + Array("persist".utf8) + [0]
            + [0, 0, 0, 3] + Array("yes".utf8) + [0]
        #expect(request.xdrBytes == expected)
        let decoded = try ManagementRequest(xdrBytes: expected)
        #expect(decoded == request)
        #expect(decoded["dest_ipaddr"] == "192.0.2.1")
        #expect(decoded["secret"] == nil)
    }

    @Test func laterParameterOverridesEarlier() {
        let request = ManagementRequest(["mtu": "1400", "mtu": "1300"])
        #expect(request["mtu"] == "1300")
    }

    @Test(arguments: [
        (ManagementValue.none, [0, 0, 0, 0] as [UInt8]),
        (.string("ab"), [0, 0, 0, 1, 0, 0, 0, 2, 0x61, 0x62, 0, 0]),
        (.int(-1), [0, 0, 0, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
        (.uint(65535), [0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0xff, 0xff]),
        (.bool(true), [0, 0, 0, 4, 0, 0, 0, 1]),
        (.ipv4(0xc000_0201), [0, 0, 0, 5, 0xc0, 0, 2, 1]),
    ])
    func valueUnionVectors(value: ManagementValue, bytes: [UInt8]) throws {
        #expect(value.xdrBytes == bytes)
        #expect(try ManagementValue(xdrBytes: bytes) == value)
    }

    @Test func valuesDisplayAsTheCLIPrintsThem() {
        #expect(ManagementValue.ipv4(0xc000_0201).displayText == "192.0.2.1")
        #expect(ManagementValue.bool(false).displayText == "no")
        #expect(ManagementValue.int(-5).displayText == "-5")
    }

    @Test func unknownValueTypeIsRejected() {
        #expect(throws: ONCRPCError.invalidDiscriminant(field: "", offset: 0, value: 0)) {
            try ManagementValue(xdrBytes: [0, 0, 0, 9])
        }
    }

    @Test func replyRoundTripsWithRecords() throws {
        let reply = ManagementReply(
            status: .tunnelNotFound, message: "tunnel_id: no tunnel 7",
            records: [
                ManagementRecord(
                    kind: "tunnel", fields: [.init("tunnel_id", .uint(7)), .init("peer_ipaddr", .ipv4(0x7f00_0001))])
            ])
        let bytes = reply.xdrBytes
        #expect(Array(bytes.prefix(4)) == [0xff, 0xff, 0xfe, 0x08])  // -504
        let decoded = try ManagementReply(xdrBytes: bytes)
        #expect(decoded == reply)
        #expect(decoded.records[0]["peer_ipaddr"] == .ipv4(0x7f00_0001))
    }

    @Test func statusTextCoversErrnoAndL2TPCodes() {
        #expect(ManagementStatus.notFound.rawValue == -2)
        #expect(ManagementStatus.notFound.description == "No such file or directory")
        #expect(ManagementStatus.defaultProfileNotDeletable.description == "default profile cannot be deleted")
        #expect(!ManagementStatus.limitReached.isSuccess)
    }

    @Test func tooManyParametersAreRejected() {
        let request = ManagementRequest(
            parameters: (0...L2TPManagementProtocol.maxParameters).map { .init(name: "p\($0)", value: "") })
        #expect(throws: ONCRPCError.lengthExceedsLimit(field: "", offset: 0, length: 0, limit: 0)) {
            try ManagementRequest(xdrBytes: request.xdrBytes)
        }
    }

    @Test func serviceRoutesEveryProcedureToItsMethod() async throws {
        let service = ManagementService(handler: TestManagementHandler())
        let caller = RPCCaller(transport: .unixSocket, credentials: .init(pid: 1, uid: 0, gid: 0), address: "test")
        var echoed = 0
        for procedure in ManagementProcedure.allCases where procedure != .null {
            #expect(service.supports(procedure: procedure.rawValue, version: 1))
            let call = RPCIncomingCall(
                xid: 1, version: 1, procedure: procedure.rawValue, credential: .none,
                arguments: ManagementRequest(["dest_ipaddr": "192.0.2.1"]).xdrBytes, caller: caller)
            guard case .success(let bytes) = await service.handle(call) else {
                Issue.record("\(procedure) failed")
                continue
            }
            let reply = try ManagementReply(xdrBytes: bytes)
            if let first = reply.records.first, first.kind == "echo" {
                #expect(first["procedure"] == .string(procedure.xdrName))
                echoed += 1
            }
        }
        // All but NULL and the three the test handler implements for real.
        #expect(echoed == ManagementProcedure.allCases.count - 4)
        #expect(!service.supports(procedure: 5, version: 1))
        #expect(!service.supports(procedure: 10, version: 2))
        let garbage = RPCIncomingCall(
            xid: 1, version: 1, procedure: 10, credential: .none, arguments: [0, 0, 0], caller: caller)
        #expect(await service.handle(garbage) == .garbageArguments)
    }
}
