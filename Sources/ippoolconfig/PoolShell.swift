import Foundation
import IPPool
import L2TPConfigCLI

/// The `ippool> ` prompt: libedit editing (shared with l2tpconfig), TAB
/// completion of keywords and parameter names, `?` help, history in
/// `$IPPOOL_HISTFILE`; `quit`, `exit` or Ctrl-D leave.
final class PoolShell {
    static let prompt = "ippool> "
    let runner: PoolCommandRunner
    let historyPath: String?

    init(runner: PoolCommandRunner, environment: [String: String]) {
        self.runner = runner
        historyPath = environment["IPPOOL_HISTFILE"] ?? environment["HOME"].map { $0 + "/.ippoolconfig_history" }
    }

    func run() -> ExitStatus {
        guard let editor = LineEditor(program: "ippoolconfig", prompt: Self.prompt) else {
            runner.output.printError("ippoolconfig: cannot initialise line editing")
            return .commandFailed
        }
        editor.setHistorySize(500)
        if let historyPath { editor.loadHistory(historyPath) }
        editor.onKey = { editor, key, text in
            let (done, partial) = Self.split(text)
            let candidates = Self.candidates(after: done)
            let hits = candidates.filter { $0.hasPrefix(partial) }
            switch key {
            case .question:
                editor.printAboveLine(Self.help(done, candidates) + "\n")
                return .redisplay
            case .tab:
                if hits.count == 1 {
                    let completion = String(hits[0].dropFirst(partial.count))
                    editor.insert(completion + (hits[0].hasSuffix("=") ? "" : " "))
                    return .refresh
                }
                if hits.isEmpty { return .beep }
                editor.printAboveLine(hits.joined(separator: "  ") + "\n")
                return .redisplay
            }
        }
        var pending = ""
        while let line = editor.readLine() {
            if line.hasSuffix("\\") {
                pending += line.dropLast() + " "
                continue
            }
            let full = (pending + line).trimmingCharacters(in: .whitespaces)
            pending = ""
            guard !full.isEmpty, !full.hasPrefix("#") else { continue }
            if full == "quit" || full == "exit" { break }
            editor.addHistory(full)
            if let historyPath { editor.saveHistory(historyPath) }
            if full == "help" || full.hasPrefix("help ") {
                runner.output.print(PoolCLIOptions.helpText)
                continue
            }
            runner.run(line: full)
        }
        return .success
    }

    /// The finished words and the word being typed.
    static func split(_ text: String) -> ([String], String) {
        var words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if text.hasSuffix(" ") || words.isEmpty { return (words, "") }
        let partial = words.removeLast()
        return (words, partial)
    }

    /// Keywords that can follow, or the command's parameter names (`name=`).
    static func candidates(after words: [String]) -> [String] {
        let keywords = PoolCommandParser.nextWords(after: words)
        if !keywords.isEmpty { return keywords }
        guard let path = PoolCommandPath(rawValue: words.prefix { !$0.contains("=") }.joined(separator: " ")) else {
            return []
        }
        let given = Set(words.compactMap { $0.split(separator: "=").first.map(String.init) })
        return PoolCommandSpec.spec(for: path).parameters.map(\.name).filter { !given.contains($0) }.map { $0 + "=" }
    }

    static func help(_ words: [String], _ candidates: [String]) -> String {
        if let path = PoolCommandPath(rawValue: words.prefix { !$0.contains("=") }.joined(separator: " ")) {
            let spec = PoolCommandSpec.spec(for: path)
            return (["\(path.rawValue): \(spec.help)"]
                + spec.parameters.map {
                    "  \($0.name)\(spec.required.contains($0.name) ? " (required)" : ""): \($0.help)"
                }).joined(separator: "\n")
        }
        return candidates.map { word in
            let help = PoolCommandSpec.all.first { $0.path.words.starts(with: words + [word]) }?.help ?? ""
            return "  \(word.padding(toLength: 12, withPad: " ", startingAt: 0)) \(help)"
        }.joined(separator: "\n")
    }
}
