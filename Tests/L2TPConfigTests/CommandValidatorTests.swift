import Testing

@testable import L2TPConfig

@Suite struct CommandValidatorTests {
    func problems(_ line: String) throws -> [String] {
        CommandValidator.validate(try parse(line)).map(\.message)
    }

    @Test func requiredAndEmptyRequired() throws {
        #expect(try problems("tunnel create") == ["dest_ipaddr: is required by 'tunnel create'"])
        #expect(
            try problems("tunnel create dest_ipaddr=") == [
                "dest_ipaddr: is required by 'tunnel create' but was given an empty value"
            ])
        #expect(try problems("config restore") == ["file: is required by 'config restore'"])
        #expect(try problems("ppp profile create") == ["profile_name: is required by 'ppp profile create'"])
    }

    @Test func oneOfAndExclusiveGroups() throws {
        #expect(try problems("tunnel delete") == ["'tunnel delete' needs one of: tunnel_id, tunnel_name"])
        #expect(try problems("tunnel delete tunnel_id=1 tunnel_name=x") == ["give only one of tunnel_id, tunnel_name"])
        #expect(try problems("session show tunnel_id=1") == ["'session show' needs one of: session_id, session_name"])
        #expect(try problems("session show tunnel_id=1 session_name=s").isEmpty)
        #expect(
            try problems("debug modify session_id=3 trace_flags=ALL") == [
                "'debug modify' needs one of: tunnel_id, tunnel_name"
            ])
        #expect(try problems("debug modify trace_flags=ALL").isEmpty)
        #expect(
            try problems("tunnel profile unset profile_name=x") == [
                "'tunnel profile unset' needs the names of the parameters to reset"
            ])
    }

    @Test func parseValidatedCommandForTheCLI() throws {
        #expect(throws: ConfigError.self) { try CommandParser().parseValidatedCommand("tunnel create tunnel_name=x") }
        #expect(try CommandParser().parseValidatedCommand("tunnel create dest_ipaddr=192.0.2.1").path == .tunnelCreate)
    }
}
