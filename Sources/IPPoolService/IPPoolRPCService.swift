import IPPool
import L2TPManagement
import ONCRPC

/// Serves program 300775 version 1 (docs/ippool_rpc.x). Requests and replies
/// have the shape of openl2tpd's (`l2tp_request` / `l2tp_reply`), so the
/// shared ONC RPC server, client and CLI output code carry both.
public struct IPPoolRPCService: RPCService {
    public let store: PoolStore
    public let version: String

    public init(store: PoolStore, version: String) {
        self.store = store
        self.version = version
    }

    public var program: UInt32 { IPPoolProcedure.program }
    public var versions: ClosedRange<UInt32> { IPPoolProcedure.version...IPPoolProcedure.version }

    public func supports(procedure: UInt32, version: UInt32) -> Bool {
        version == IPPoolProcedure.version && IPPoolProcedure(rawValue: procedure) != nil
    }

    public func handle(_ call: RPCIncomingCall) async -> RPCProcedureOutcome {
        guard let procedure = IPPoolProcedure(rawValue: call.procedure),
            let request = try? ManagementRequest(xdrBytes: call.arguments)
        else { return .garbageArguments }
        return .success(await reply(to: procedure, request).xdrBytes)
    }

    /// The reply to one procedure (also used directly by tests).
    public func reply(to procedure: IPPoolProcedure, _ request: ManagementRequest) async -> ManagementReply {
        if procedure == .appInfoGet {
            return .success([
                ManagementRecord(
                    kind: "app",
                    fields: [
                        .init("name", .string("ippoold")), .init("version", .string(version)),
                        .init("rpc_version", .uint(UInt64(IPPoolProcedure.version))),
                    ])
            ])
        }
        guard let path = procedure.commandPath else { return .success() }
        let arguments = request.parameters.map { (name: $0.name, value: $0.value) }
        do {
            let records = try await store.run(path, arguments)
            return .success(records.map(Self.record))
        } catch {
            return .failure(ManagementStatus(rawValue: error.status), error.message)
        }
    }

    static func record(_ record: PoolRecord) -> ManagementRecord {
        ManagementRecord(
            kind: record.kind,
            fields: record.fields.map { field in
                switch field.value {
                case .string(let s): ManagementField(field.name, .string(s))
                case .uint(let u): ManagementField(field.name, .uint(u))
                case .bool(let b): ManagementField(field.name, .bool(b))
                case .ipv4(let a): ManagementField(field.name, .ipv4(a))
                }
            })
    }
}
