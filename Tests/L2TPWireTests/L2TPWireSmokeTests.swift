import Testing
@testable import L2TPWire

@Test func moduleLinks() { #expect(Bool(true)) }
