import Testing

@testable import L2TPConfig

@Suite struct ProfileStoreTests {
    @Test func builtInDefaultsExist() {
        let store = ProfileStore()
        for kind in ProfileKind.allCases {
            #expect(store.names(kind) == ["default"])
        }
    }

    @Test func defaultProfilesAreModifiableButNotDeletable() throws {
        var store = ProfileStore()
        try store.modify(.tunnel, name: "default", values: [.helloTimeout: .seconds(30)])
        #expect(store.tunnelProfile("default")?.helloTimeout == 30)
        for kind in ProfileKind.allCases {
            #expect(throws: ConfigError.self) { try store.delete(kind, name: "default") }
        }
        do {
            try store.delete(.ppp, name: "default")
        } catch {
            #expect(error.kind == .profileNotDeletable)
            #expect(
                error.message == "the built-in ppp profile 'default' cannot be deleted (it can be modified or unset)")
        }
        #expect(store.names(.ppp) == ["default"])
    }

    @Test func createModifyDelete() throws {
        var store = ProfileStore()
        try store.create(.ppp, name: "peer1", values: [.localIPAddress: .ipv4(IPv4Address(198, 51, 100, 1))])
        #expect(store.pppProfile("peer1")?.localIPAddress == IPv4Address(198, 51, 100, 1))
        #expect(throws: ConfigError.self) { try store.create(.ppp, name: "peer1") }
        try store.modify(.ppp, name: "peer1", values: [.mtu: .integer(1400), .localIPAddress: .notSet])
        #expect(store.pppProfile("peer1")?.mtu == 1400)
        #expect(store.pppProfile("peer1")?.localIPAddress == nil)
        try store.delete(.ppp, name: "peer1")
        #expect(store.pppProfile("peer1") == nil)
        #expect(throws: ConfigError.self) { try store.modify(.ppp, name: "peer1", values: [:]) }
        #expect(throws: ConfigError.self) { try store.delete(.ppp, name: "peer1") }
    }

    @Test func settingTheDefaultValueStoresNothing() throws {
        var store = ProfileStore()
        try store.modify(.tunnel, name: "default", values: [.mtu: .integer(1460), .persist: .bool(false)])
        #expect(store.tunnelProfile("default")?.explicitValues.isEmpty == true)
        #expect(store == ProfileStore())
    }

    @Test func unsetResetsNamedParametersOnly() throws {
        var store = ProfileStore()
        try store.modify(
            .tunnel, name: "default",
            values: [.helloTimeout: .seconds(30), .secret: .string("s"), .mtu: .integer(1400)])
        try store.unset(.tunnel, name: "default", parameters: [.helloTimeout, .secret])
        let profile = try #require(store.tunnelProfile("default"))
        #expect(profile.helloTimeout == 60)
        #expect(profile.secret == nil)
        #expect(profile.mtu == 1400)
        #expect(throws: ConfigError.self) { try store.unset(.tunnel, name: "nope", parameters: [.mtu]) }
        #expect(throws: ConfigError.self) { try store.unset(.tunnel, name: "default", parameters: [.asyncMap]) }
    }

    @Test func parametersOfAnotherKindAreRefused() {
        var store = ProfileStore()
        #expect(throws: ConfigError.self) { try store.modify(.peer, name: "default", values: [.mtu: .integer(1400)]) }
        #expect(throws: ConfigError.self) { try store.modify(.peer, name: "default", values: [.peerPort: .bool(true)]) }
    }

    @Test func failedModifyLeavesProfileUnchanged() throws {
        var store = ProfileStore()
        try store.modify(.ppp, name: "default", values: [.mtu: .integer(1400)])
        let before = store
        #expect(throws: ConfigError.self) {
            try store.modify(.ppp, name: "default", values: [.mru: .integer(1300), .peerPort: .integer(5)])
        }
        #expect(store == before)
    }

    @Test func referencesAreCheckedImmediatelyByDefault() throws {
        var store = ProfileStore()
        do {
            try store.create(.peer, name: "anyname", values: [.tunnelProfileName: .string("123net")])
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .profileNotFound)
            #expect(
                error.message
                    == "tunnel profile '123net' does not exist (named by tunnel_profile_name of peer profile 'anyname')"
            )
        }
        #expect(store.peerProfile("anyname") == nil)
        try store.create(.tunnel, name: "123net")
        try store.create(.peer, name: "anyname", values: [.tunnelProfileName: .string("123net")])
        #expect(store.danglingReferences().isEmpty)
    }

    @Test func deferredReferencesAreReportedAsDangling() throws {
        var store = ProfileStore()
        try store.create(
            .peer, name: "p", values: [.sessionProfileName: .string("s1"), .pppProfileName: .string("x")],
            references: .deferred)
        let dangling = store.danglingReferences()
        #expect(
            Set(dangling.map(\.description)) == [
                "session profile 's1' does not exist (named by session_profile_name of peer profile 'p')",
                "ppp profile 'x' does not exist (named by ppp_profile_name of peer profile 'p')",
            ])
    }

    @Test func profileInUseCannotBeDeleted() throws {
        var store = ProfileStore()
        try store.create(.ppp, name: "branch")
        try store.create(.session, name: "s", values: [.pppProfileName: .string("branch")])
        try store.create(.peer, name: "p", values: [.pppProfileName: .string("branch")])
        do {
            try store.delete(.ppp, name: "branch")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .profileInUse)
            #expect(
                error.message
                    == "ppp profile 'branch' is still named by session profile 's' (ppp_profile_name), peer profile 'p' (ppp_profile_name)"
            )
        }
        try store.delete(.session, name: "s")
        try store.delete(.peer, name: "p")
        try store.delete(.ppp, name: "branch")
    }

    @Test func profileNamesAreValidated() {
        var store = ProfileStore()
        #expect(throws: ConfigError.self) { try store.create(.ppp, name: "") }
        #expect(throws: ConfigError.self) { try store.create(.ppp, name: String(repeating: "x", count: 64)) }
    }

    @Test func namesListDefaultFirstThenSorted() throws {
        var store = ProfileStore()
        try store.create(.session, name: "b")
        try store.create(.session, name: "a")
        #expect(store.names(.session) == ["default", "a", "b"])
    }
}
