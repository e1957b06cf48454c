import Testing

@testable import L2TPManagement
@testable import ONCRPC

/// Mutated replies and requests fail with an error naming the field, never trap.
@Suite struct ManagementDecodingFuzzTests {
    @Test func mutatedRepliesAndRequestsNeverTrap() {
        var state: UInt64 = 0xfeed
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let reply = ManagementReply(
            status: .ok, message: "m",
            records: [
                ManagementRecord(
                    kind: "tunnel",
                    fields: [
                        .init("a", .string("x")), .init("b", .int(-1)), .init("c", .uint(2)), .init("d", .bool(true)),
                        .init("e", .ipv4(1)), .init("f", .none),
                    ])
            ]
        ).xdrBytes
        let request = ManagementRequest(["dest_ipaddr": "192.0.2.1", "persist": "yes"]).xdrBytes
        var failures = 0
        for round in 0..<4000 {
            var bytes = round % 2 == 0 ? reply : request
            for _ in 0..<(1 + next(3)) { bytes[next(bytes.count)] = UInt8(next(256)) }
            if next(4) == 0 { bytes.removeLast(next(bytes.count)) }
            do {
                if round % 2 == 0 {
                    _ = try ManagementReply(xdrBytes: bytes)
                } else {
                    _ = try ManagementRequest(xdrBytes: bytes)
                }
            } catch let error as ONCRPCError {
                failures += 1
                #expect(error.detail.contains("offset"))
            } catch {
                Issue.record("unexpected error type \(error)")
            }
        }
        #expect(failures > 1000)
    }
}
