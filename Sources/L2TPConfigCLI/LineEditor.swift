import CEdit

#if canImport(Glibc)
    import Glibc
#endif

/// libedit, for the interactive prompt: emacs key bindings, history, and two
/// keys handed to Swift: TAB (complete) and `?` (context help).
public final class LineEditor {
    public enum Key { case tab, question }

    /// Called with the key and the text left of the cursor.
    public typealias KeyHandler = (LineEditor, Key, String) -> CEditReaction

    public enum CEditReaction {
        case refresh, redisplay, beep, insertLiterally
    }

    private let editor: OpaquePointer
    private let stdinFile: UnsafeMutablePointer<FILE>
    private let stdoutFile: UnsafeMutablePointer<FILE>
    public var onKey: KeyHandler?

    public init?(program: String, prompt: String) {
        guard let input = fdopen(dup(STDIN_FILENO), "r"), let out = fdopen(dup(STDOUT_FILENO), "w") else { return nil }
        guard let editor = cedit_open(program, input, out, out) else {
            fclose(input)
            fclose(out)
            return nil
        }
        self.editor = editor
        self.stdinFile = input
        self.stdoutFile = out
        cedit_set_prompt(editor, prompt)
        cedit_set_key_function(
            editor,
            { editor, context, key, text in
                guard let context, let editor, let text else { return Int32(CEDIT_BEEP.rawValue) }
                let owner = Unmanaged<LineEditor>.fromOpaque(context).takeUnretainedValue()
                return owner.handle(key: key == 0 ? .tab : .question, text: String(cString: text))
            }, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        cedit_close(editor)
        fclose(stdinFile)
        fclose(stdoutFile)
    }

    private func handle(key: Key, text: String) -> Int32 {
        guard let onKey else { return Int32(CEDIT_BEEP.rawValue) }
        switch onKey(self, key, text) {
        case .refresh: return Int32(CEDIT_REFRESH.rawValue)
        case .redisplay: return Int32(CEDIT_REDISPLAY.rawValue)
        case .beep: return Int32(CEDIT_BEEP.rawValue)
        case .insertLiterally:
            insert(key == .tab ? "\t" : "?")
            return Int32(CEDIT_REFRESH.rawValue)
        }
    }

    /// The next line without its newline; nil at end of input (Ctrl-D).
    public func readLine() -> String? {
        var length: Int32 = 0
        guard let line = cedit_gets(editor, &length) else { return nil }
        var text = String(cString: line)
        while text.last == "\n" || text.last == "\r" { text.removeLast() }
        return text
    }

    public func insert(_ text: String) {
        _ = cedit_insert(editor, text)
    }

    public func deleteBeforeCursor(_ count: Int) {
        cedit_delete_before_cursor(editor, Int32(count))
    }

    /// Text printed from a key handler, on its own lines below the prompt.
    public func printAboveLine(_ text: String) {
        fputs("\n" + text, stdoutFile)
        fflush(stdoutFile)
    }

    // MARK: - History

    public func setHistorySize(_ size: Int) { cedit_history_set_size(editor, Int32(size)) }
    public func addHistory(_ line: String) { cedit_history_add(editor, line) }
    @discardableResult public func loadHistory(_ path: String) -> Bool { cedit_history_load(editor, path) == 0 }
    @discardableResult public func saveHistory(_ path: String) -> Bool { cedit_history_save(editor, path) == 0 }
}
