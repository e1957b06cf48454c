import Testing

@testable import L2TPConfig

@Suite struct VisibleTextTests {
    @Test func invisibleCharactersBecomeEscapes() {
        #expect(VisibleText.escaped("a\nb\rc\td") == #"a\nb\rc\td"#)
        #expect(VisibleText.escaped("\u{0}\u{1b}[2J\u{7f}\u{85}") == #"\u{0}\u{1B}[2J\u{7F}\u{85}"#)
        // Bidi overrides, zero-width joiners, line and paragraph separators.
        #expect(VisibleText.escaped("x\u{202e}y\u{200d}z\u{2028}\u{2029}") == #"x\u{202E}y\u{200D}z\u{2028}\u{2029}"#)
        // A backslash is doubled, so text cannot fake an escape.
        #expect(VisibleText.escaped(#"C:\n"#) == #"C:\\n"#)
    }

    @Test func aLineThatHoldsEscapesKeepsItsBackslashes() {
        // A log handler's defence: controls still become escapes, escapes
        // made earlier are not escaped twice.
        #expect(
            VisibleText.escaped(#"host 'a\nb'"# + "\n\u{1b}", doublingBackslashes: false) == #"host 'a\nb'\n\u{1B}"#)
        #expect(VisibleText.escaped(#"C:\n"#, doublingBackslashes: false) == #"C:\n"#)
    }

    @Test func visibleTextIsKept() {
        for text in ["plain text", "naïve café", "ünïcödé 名前", "a=b; #c 'd' \"e\"", ""] {
            #expect(VisibleText.escaped(text) == text)
        }
    }

    @Test func grammarMessagesShowUserTextEscaped() {
        #expect(
            parseError(#"system modify max_tunnels="5\n""#)?.message
                == #"max_tunnels: '5\n' is not a number (0..65535)"#)
        #expect(
            parseError("tunnel \"fro\u{1b}b\"")?.message.hasPrefix(#"unknown keyword 'fro\u{1B}b' after 'tunnel'"#)
                == true)
        #expect(parseError("system modify \"max\u{7}\"=1")?.message.hasPrefix(#"unknown parameter 'max\u{7}'"#) == true)
        #expect(parseError("tunnel list \"loc\tal\"")?.message.hasPrefix(#"unexpected word 'loc\tal'"#) == true)
        #expect(
            parseError(#"tunnel create dest_ipaddr=192.0.2.1 trace_flags="FSM,\tX""#)?.message
                .hasPrefix(#"trace_flags: '\tX' is not a trace flag"#) == true)
    }
}
