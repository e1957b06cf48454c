import Testing
@testable import L2TPControl

@Test func moduleLinks() { #expect(Bool(true)) }
