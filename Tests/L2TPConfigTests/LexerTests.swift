import Testing

@testable import L2TPConfig

@Suite struct LexerTests {
    func lex(_ text: String) -> Lexer.Output { Lexer(text: text, file: "f.conf").tokenize() }

    func kinds(_ text: String) -> [[Token.Kind]] {
        lex(text).statements.map { $0.tokens.map(\.kind) }
    }

    @Test func statementsEndAtNewlineAndSemicolon() {
        #expect(
            kinds("a b\nc; d e;f") == [
                [.word("a"), .word("b")], [.word("c")], [.word("d"), .word("e")], [.word("f")],
            ])
    }

    @Test func argumentsSplitAtFirstUnquotedEquals() {
        #expect(
            kinds("x=1 y= z=a=b") == [
                [.argument(name: "x", value: "1"), .argument(name: "y", value: ""), .argument(name: "z", value: "a=b")]
            ])
    }

    @Test func backslashContinuesOntoNextLine() {
        let out = lex("tunnel create \\\n\tdest_ipaddr=1.2.3.4\n")
        #expect(out.statements.count == 1)
        #expect(out.statements[0].tokens.count == 3)
        #expect(out.statements[0].tokens[2].location == SourceLocation(file: "f.conf", line: 2, column: 2))
        #expect(out.statements[0].tokens[2].startsContinuationLine)
        #expect(!out.statements[0].tokens[1].startsContinuationLine)
    }

    @Test func continuationWithTrailingBlanksStillContinues() {
        #expect(kinds("a \\  \t\nb") == [[.word("a"), .word("b")]])
    }

    @Test func continuationIntoBlankLineEndsStatement() {
        #expect(kinds("a x= \\\n\nb c") == [[.word("a"), .argument(name: "x", value: "")], [.word("b"), .word("c")]])
        #expect(kinds("a \\\n   \t\nb") == [[.word("a")], [.word("b")]])
    }

    @Test func continuationAtEndOfTextEndsStatement() {
        #expect(kinds("a b \\") == [[.word("a"), .word("b")]])
        #expect(kinds("a b \\\n") == [[.word("a"), .word("b")]])
    }

    @Test func commentsRunToEndOfLine() {
        #expect(kinds("# whole line\na b # trailing ; c\nd") == [[.word("a"), .word("b")], [.word("d")]])
    }

    @Test func hashInsideWordIsLiteral() {
        #expect(kinds("secret=ab#cd") == [[.argument(name: "secret", value: "ab#cd")]])
    }

    @Test func doubleQuotesWithEscapes() {
        #expect(
            kinds(#"secret="a b\"c\\d\te;#" x"#) == [[.argument(name: "secret", value: "a b\"c\\d\te;#"), .word("x")]])
    }

    @Test func singleQuotesKeepMostBackslashes() {
        #expect(kinds(#"n='it\'s \d'"#) == [[.argument(name: "n", value: "it's \\d")]])
    }

    @Test func quotedEqualsDoesNotSplit() {
        #expect(kinds(#"host_name="a=b""#) == [[.argument(name: "host_name", value: "a=b")]])
        #expect(kinds(#""a=b""#) == [[.word("a=b")]])
    }

    @Test func backslashOutsideQuotesEscapesNextCharacter() {
        #expect(kinds(#"a\ b c\;d"#) == [[.word("a b"), .word("c;d")]])
    }

    @Test func unterminatedQuoteIsReportedWithLocationAndStatementDropped() {
        let out = lex("a b\nsecret=\"abc\nc d")
        #expect(out.errors.count == 1)
        #expect(out.errors[0].description == "f.conf:2:8: unterminated double-quoted string")
        #expect(out.statements.map { $0.tokens.map(\.kind) } == [[.word("a"), .word("b")], [.word("c"), .word("d")]])
    }

    @Test func unknownEscapeIsAnError() {
        let out = lex(#"x="a\qb""#)
        #expect(out.errors.first?.message == "unknown escape '\\q' in double-quoted string")
        #expect(out.statements.isEmpty)
    }

    @Test func missingNameBeforeEquals() {
        let out = lex("tunnel create =5")
        #expect(out.errors.first?.description == "f.conf:1:15: missing parameter name before '='")
    }

    @Test func columnsAndLinesAreOneBased() {
        let tokens = lex("\n  system  modify max_tunnels=5").statements[0].tokens
        #expect(tokens.map(\.location.column) == [3, 11, 18])
        #expect(tokens.allSatisfy { $0.location.line == 2 })
        #expect(tokens[2].valueLocation?.column == 30)
    }

    @Test func crlfLineEndings() {
        #expect(kinds("a b \\\r\n c\r\nd\r\n") == [[.word("a"), .word("b"), .word("c")], [.word("d")]])
    }

    @Test func reportsOpenStatementAndQuoteForCompletion() {
        #expect(lex("tunnel cr").endsInsideStatement)
        #expect(!lex("tunnel create;").endsInsideStatement)
        #expect(lex("x=\"abc").endsInsideQuote)
    }
}
