import Testing

@testable import L2TPConfig

@Suite struct ProfileNameCompletionTests {
    @Test func completesExistingProfileNames() throws {
        var store = ProfileStore()
        try store.create(.ppp, name: "branch")
        try store.create(.ppp, name: "bridge")
        try store.create(.tunnel, name: "lns")
        let support = InteractiveSupport()
        func complete(_ line: String) -> [String] {
            support.completions(forLine: line, cursor: line.count, profiles: store)
        }
        #expect(complete("ppp profile modify profile_name=br") == ["profile_name=branch", "profile_name=bridge"])
        #expect(
            complete("peer profile create profile_name=x ppp_profile_name=") == [
                "ppp_profile_name=default", "ppp_profile_name=branch", "ppp_profile_name=bridge",
            ])
        #expect(complete("tunnel create profile_name=l") == ["profile_name=lns"])
        // A new profile's name is free text.
        #expect(complete("ppp profile create profile_name=b").isEmpty)
    }
}
