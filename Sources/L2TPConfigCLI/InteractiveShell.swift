#if canImport(Glibc)
    import Glibc
#endif
import L2TPConfig

/// The `l2tp> ` prompt: libedit line editing, TAB completion and `?` help
/// from L2TPConfig's interactive API, history in `$L2TP_HISTFILE`.
/// `help [words]` prints help too; `quit`, `exit` or Ctrl-D leave.
public final class InteractiveShell {
    public static let prompt = "l2tp> "

    let runner: CommandRunner
    let history: HistorySettings
    let support = InteractiveSupport()
    let completion: LineCompletion
    /// The daemon's names for TAB, asked once per line being edited.
    let names: CompletionNames

    public init(runner: CommandRunner, history: HistorySettings) {
        self.runner = runner
        self.history = history
        let names = CompletionNames(connection: runner.connection)
        self.names = names
        self.completion = LineCompletion(names: { [names] query in names.names(query) })
    }

    /// Runs until end of input; returns the exit status (always success:
    /// errors were shown at the prompt).
    public func run() -> ExitStatus {
        guard let editor = LineEditor(program: "l2tpconfig", prompt: Self.prompt) else {
            runner.output.printError("l2tpconfig: cannot initialise line editing; reading commands as a script")
            return .commandFailed
        }
        editor.setHistorySize(history.size)
        if let path = history.path { editor.loadHistory(path) }
        editor.onKey = { [unowned self] editor, key, text in
            switch key {
            case .tab: return self.onTab(editor, text)
            case .question: return self.onQuestion(editor, text)
            }
        }
        var pending = ""
        while let line = editor.readLine() {
            names.forget()
            // A trailing backslash continues the command on the next line.
            if line.hasSuffix("\\") {
                pending += line.dropLast() + " "
                continue
            }
            let full = (pending + line).trimmingCharacters(in: " \t")
            pending = ""
            guard !full.isEmpty, !full.hasPrefix("#") else { continue }
            if full == "quit" || full == "exit" { break }
            // Saved after every line, so history survives a killed terminal.
            if history.size > 0 {
                editor.addHistory(full)
                if let path = history.path { editor.saveHistory(path) }
            }
            if let topic = Self.helpTopic(full) {
                runner.output.print(Self.help(for: topic))
                continue
            }
            runner.run(line: full)
        }
        return .success
    }

    /// `help`, `help tunnel create`, or a line ending in `?` typed without
    /// the key binding (e.g. pasted): the words to give help for.
    static func helpTopic(_ line: String) -> String? {
        if line == "help" || line == "?" { return "" }
        if line.hasPrefix("help ") { return String(line.dropFirst(5)).trimmingCharacters(in: " \t") + " " }
        if line.hasSuffix("?") && !line.contains("\"") { return String(line.dropLast()) }
        return nil
    }

    /// Columns of the terminal on stdout, 80 when unknown.
    static func terminalWidth() -> Int {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    static func help(for line: String) -> String {
        var text = InteractiveSupport().help(forLine: line).description + "\n"
        if line.trimmingCharacters(in: " \t").isEmpty {
            text += "  help       help for a command: help tunnel create\n  quit       leave l2tpconfig\n"
        }
        return text
    }

    private func onTab(_ editor: LineEditor, _ text: String) -> LineEditor.CEditReaction {
        switch completion.complete(lineToCursor: text) {
        case .replace(let count, let insertion):
            editor.deleteBeforeCursor(count)
            editor.insert(insertion)
            return .refresh
        case .list(let candidates):
            editor.printAboveLine(LineCompletion.columns(candidates, width: Self.terminalWidth()))
            return .redisplay
        case .none:
            return .beep
        }
    }

    private func onQuestion(_ editor: LineEditor, _ text: String) -> LineEditor.CEditReaction {
        // Inside a quoted value `?` is just a character.
        if text.filter({ $0 == "\"" }).count % 2 == 1 { return .insertLiterally }
        editor.printAboveLine(Self.help(for: text))
        return .redisplay
    }
}

extension String {
    func trimmingCharacters(in blanks: String) -> String {
        var slice = self[...]
        while let first = slice.first, blanks.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, blanks.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
