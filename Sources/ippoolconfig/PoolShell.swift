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
            let (_, partial) = PoolCompletion.split(text)
            switch key {
            case .question:
                editor.printAboveLine(PoolCompletion.help(for: text) + "\n")
                return .redisplay
            case .tab:
                let hits = PoolCompletion.completions(of: text)
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
}
