import Testing

@testable import L2TPConfigCLI

@Suite struct LineCompletionTests {
    let completion = LineCompletion()

    @Test func uniqueKeywordIsCompletedWithABlank() {
        #expect(completion.complete(lineToCursor: "tunnel cr") == .replace(deleting: 2, text: "create "))
        #expect(completion.complete(lineToCursor: "tu") == .replace(deleting: 2, text: "tunnel "))
    }

    @Test func severalKeywordsAreListed() {
        guard case .list(let words) = completion.complete(lineToCursor: "tunnel ") else {
            Issue.record("expected a list")
            return
        }
        #expect(Set(words).isSuperset(of: ["create", "delete", "modify", "show", "list", "profile"]))
    }

    @Test func commonPrefixIsInserted() {
        // session: "session" and "system" share only "s"; "sys" is unique.
        #expect(completion.complete(lineToCursor: "sy") == .replace(deleting: 2, text: "system "))
        guard case .replace(let count, let text) = completion.complete(lineToCursor: "tunnel create dest") else {
            Issue.record("expected a replacement")
            return
        }
        #expect(count == 4)
        #expect(text == "dest_ipaddr=")
    }

    @Test func valuesOfEnumeratedParameters() {
        #expect(
            completion.complete(lineToCursor: "tunnel create auth_mode=ch")
                == .replace(deleting: 12, text: "auth_mode=challenge "))
    }

    @Test func promptWordsCompleteFirst() {
        #expect(completion.complete(lineToCursor: "he") == .replace(deleting: 2, text: "help "))
        #expect(completion.complete(lineToCursor: "q") == .replace(deleting: 1, text: "quit "))
        #expect(completion.complete(lineToCursor: "tunnel he") == .none)
    }

    @Test func nothingToComplete() {
        #expect(completion.complete(lineToCursor: "bogus ") == .none)
    }

    @Test func columnsFitTheWidth() {
        let text = LineCompletion.columns(["create", "delete", "list"], width: 20)
        #expect(text == "create  delete\nlist\n")
    }
}
