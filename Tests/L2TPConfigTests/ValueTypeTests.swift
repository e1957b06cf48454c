import Testing

@testable import L2TPConfig

@Suite struct ValueTypeTests {
    func ok(_ type: ValueType, _ text: String) -> ConfigValue? {
        if case .success(let v) = type.parse(text) { return v }
        return nil
    }

    func reason(_ type: ValueType, _ text: String) -> String? {
        if case .failure(let e) = type.parse(text) { return e.reason }
        return nil
    }

    @Test(arguments: ["yes", "YES", "on", "true", "1", "On"]) func boolTrue(_ text: String) {
        #expect(ok(.bool, text) == .bool(true))
    }

    @Test(arguments: ["no", "off", "false", "0", "No"]) func boolFalse(_ text: String) {
        #expect(ok(.bool, text) == .bool(false))
    }

    @Test func boolBad() {
        #expect(reason(.bool, "maybe") == "'maybe' is not a boolean (yes/no, on/off, true/false, 1/0)")
        #expect(reason(.bool, "2") != nil)
    }

    @Test func integers() {
        #expect(ok(.integer(0...65_535), "100") == .integer(100))
        #expect(ok(.integer(0...Int(UInt32.max)), "0xffffffff") == .integer(4_294_967_295))
        #expect(reason(.integer(0...65_535), "abc") == "'abc' is not a number (0..65535)")
        #expect(reason(.integer(0...65_535), "65536") == "65536 is out of range (0..65535)")
        #expect(reason(.integer(0...65_535), "-1") == "-1 is out of range (0..65535)")
        #expect(reason(.integer(0...65_535), "1.5") != nil)
        #expect(reason(.integer(0...65_535), "99999999999999999999999") != nil)
    }

    @Test func durations() {
        #expect(ok(.duration(0...86_400), "60") == .seconds(60))
        #expect(ok(.duration(0...86_400), "30s") == .seconds(30))
        #expect(ok(.duration(0...86_400), "5m") == .seconds(300))
        #expect(ok(.duration(0...86_400), "2H") == .seconds(7200))
        #expect(reason(.duration(0...3_600), "2h") == "7200 seconds is out of range (0..3600)")
        #expect(reason(.duration(0...3_600), "soon")?.hasPrefix("'soon' is not a duration in seconds") == true)
        #expect(reason(.duration(0...3_600), "m") != nil)
    }

    @Test func ipv4Addresses() {
        #expect(ok(.ipv4Address, "192.0.2.1") == .ipv4(IPv4Address(192, 0, 2, 1)))
        #expect(ok(.ipv4Address, "0.0.0.0") == .ipv4(IPv4Address(0)))
        for bad in ["999.1.1.1", "1.2.3", "1.2.3.4.5", "a.b.c.d", "1..2.3", " 1.2.3.4", "1.2.3.4/24", "1234.1.1.1"] {
            #expect(reason(.ipv4Address, bad) == "'\(bad)' is not an IPv4 address (a.b.c.d)")
        }
    }

    @Test func netmasks() {
        #expect(ok(.netmask, "255.255.255.0") == .netmask(Netmask(prefixLength: 24)!))
        #expect(ok(.netmask, "/16") == .netmask(Netmask(prefixLength: 16)!))
        #expect(ok(.netmask, "8") == .netmask(Netmask(prefixLength: 8)!))
        #expect(ok(.netmask, "0.0.0.0") == .netmask(Netmask(prefixLength: 0)!))
        #expect(ok(.netmask, "255.255.255.255") == .netmask(.host))
        #expect(reason(.netmask, "255.0.255.0")?.hasPrefix("'255.0.255.0' is not a netmask") == true)
        #expect(reason(.netmask, "33") != nil)
        #expect(Netmask(prefixLength: 24)!.description == "255.255.255.0")
    }

    @Test func choicesMatchCaseInsensitivePrefixes() {
        let type = ValueType.choice(TunnelAuthMode.self)
        #expect(ok(type, "CHALLENGE") == .choice("challenge"))
        #expect(ok(type, "ch") == .choice("challenge"))
        #expect(reason(type, "bogus") == "'bogus' is not one of none, simple, challenge")
        #expect(reason(.choice(PeerRole.self), "lac") == nil)  // exact beats prefix of laclns
        #expect(reason(.choice(["laic", "laoc"]), "la") == "'la' is ambiguous: could be laic, laoc")
    }

    @Test func strings() {
        #expect(ok(.string(maxLength: 5), "hello") == .string("hello"))
        #expect(reason(.string(maxLength: 5), "hello!") == "value is 6 characters long, at most 5 allowed")
        #expect(reason(.string(maxLength: 50), "a\u{1}b") == "value contains a control character")
    }

    /// C1 controls (CSI U+009B, NEL U+0085) steer terminals and split log
    /// lines as C0 ones do; text that only looks unusual is kept.
    @Test(arguments: ["\u{7f}", "\u{80}", "\u{85}", "\u{9b}[2J", "\u{9f}"])
    func stringsRefuseEveryControlCharacter(_ control: String) {
        #expect(reason(.string(maxLength: 50), "a" + control + "b") == "value contains a control character")
        #expect(!ValueType.string(maxLength: 50).accepts(.string("a" + control + "b")))
    }

    @Test func stringsKeepOtherUnicode() {
        for text in ["caf\u{e9}", "\u{a0}nbsp", "\u{301}mark", "\u{5d0}\u{5d1}"] {
            #expect(ok(.string(maxLength: 50), text) == .string(text))
        }
    }

    @Test func traceFlags() {
        #expect(ok(.traceFlags, "PROTOCOL,FSM") == .traceFlags([.protocolMessages, .fsm]))
        #expect(ok(.traceFlags, "avp|avp_hide|ppp") == .traceFlags([.avp, .avpHide, .ppp]))
        #expect(ok(.traceFlags, "0x41") == .traceFlags([.protocolMessages, .function]))
        #expect(ok(.traceFlags, "3") == .traceFlags([.protocolMessages, .fsm]))
        #expect(ok(.traceFlags, "ALL") == .traceFlags(.all))
        #expect(ok(.traceFlags, "none") == .traceFlags([]))
        #expect(ok(.traceFlags, "data, SYSTEM") == .traceFlags([.data, .system]))
        #expect(reason(.traceFlags, "PROTOCOL,BOGUS")?.hasPrefix("'BOGUS' is not a trace flag") == true)
        #expect(reason(.traceFlags, "4096")?.contains("unknown trace flag bits") == true)
        #expect(reason(.traceFlags, "FSM,,API") != nil)
        #expect(TraceFlags([.fsm, .xprtAlias]).description == "FSM,XPRT")
        #expect(TraceFlags.all.description == "ALL")
        #expect(TraceFlags.none.description == "NONE")
        #expect(TraceFlags.names.map(\.flag.rawValue) == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024])
    }

    @Test func connectSpeeds() {
        #expect(ok(.connectSpeed, "54000000") == .connectSpeed(ConnectSpeed(speed: 54_000_000)))
        #expect(ok(.connectSpeed, "1000000:64000") == .connectSpeed(ConnectSpeed(speed: 1_000_000, txSpeed: 64_000)))
        #expect(reason(.connectSpeed, "fast")?.hasPrefix("'fast' is not speed[:txspeed]") == true)
        #expect(reason(.connectSpeed, "1:2:3") != nil)
        #expect(reason(.connectSpeed, "1:") != nil)
        #expect(reason(.connectSpeed, "4294967296") != nil)
    }

    @Test func acceptsChecksProgrammaticValues() {
        #expect(ValueType.integer(1...10).accepts(.integer(5)))
        #expect(!ValueType.integer(1...10).accepts(.integer(11)))
        #expect(!ValueType.integer(1...10).accepts(.bool(true)))
        #expect(!ValueType.choice(["a"]).accepts(.choice("b")))
        #expect(ValueType.bool.accepts(.notSet))
    }
}

extension TraceFlags {
    static var xprtAlias: TraceFlags { .transport }
}
