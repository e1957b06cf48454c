import Foundation
import L2TPManagement
import Testing

@testable import L2TPConfigCLI

@Suite struct JSONOutputTests {
    @Test func replyParsesWithStableKeysAndTypes() throws {
        let reply = ManagementReply.success([
            ManagementRecord(
                kind: "tunnel",
                fields: [
                    ManagementField("tunnel_id", .uint(17767)), ManagementField("dest_ipaddr", .ipv4(0xC000_0201)),
                    ManagementField("persist", .bool(true)),
                    ManagementField("tunnel_name", .string("a \"quoted\"\n\u{1}name")),
                    ManagementField("secret", .none), ManagementField("offset", .int(-3)),
                ])
        ])
        let text = JSONOutput.document(command: "tunnel list", reply: reply)
        #expect(text.hasSuffix("}\n"))
        #expect(text.filter { $0 == "\n" }.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["command"] as? String == "tunnel list")
        #expect(object["status"] as? Int == 0)
        let records = try #require(object["records"] as? [[String: Any]])
        #expect(records.count == 1)
        #expect(records[0]["kind"] as? String == "tunnel")
        #expect(records[0]["tunnel_id"] as? Int == 17767)
        #expect(records[0]["dest_ipaddr"] as? String == "192.0.2.1")
        #expect(records[0]["persist"] as? Bool == true)
        #expect(records[0]["tunnel_name"] as? String == "a \"quoted\"\n\u{1}name")
        #expect(records[0]["secret"] is NSNull)
        #expect(records[0]["offset"] as? Int == -3)
        // Key order follows the reply, for diffable output.
        #expect(text.range(of: "\"tunnel_id\"")!.lowerBound < text.range(of: "\"dest_ipaddr\"")!.lowerBound)
    }

    @Test func failuresCarryStatusAndError() throws {
        let text = JSONOutput.document(
            command: "tunnel show", reply: .failure(.tunnelNotFound, "tunnel_id 9: no such tunnel"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["status"] as? Int == -504)
        #expect(object["error"] as? String == "tunnel_id 9: no such tunnel")
        #expect((object["records"] as? [Any])?.isEmpty == true)
    }
}
