import Testing
@testable import L2TPConfig

@Test func moduleLinks() { #expect(Bool(true)) }
