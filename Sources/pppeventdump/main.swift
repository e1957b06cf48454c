// pppeventdump -- binds pppd's event socket and prints one line per datagram.
//
// For watching pppd's openl2tp.so without the daemon (kernel VM tests,
// troubleshooting): `pppeventdump [--path P] [--count N] [--timeout S]`.
// Lines: `up tunnel=T session=S unit=N ifname=pppN [user=U]`, `down ...`,
// `accm tunnel=T session=S send=0x... receive=0x...`, `null`, or
// `error <why>`. Exit 0 after --count lines, 1 on --timeout, 2 if the socket
// cannot be bound (a planted file, another daemon), 64 on bad usage.
import PPPEvents
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

struct Options: Sendable {
    var path = PPPEventWire.defaultSocketPath
    var count = Int.max
    var timeout: Double?
}

func fail(_ status: Int32, _ message: String) -> Never {
    let text = Array("pppeventdump: \(message)\n".utf8)
    _ = text.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(status)
}

func parse(_ words: [String]) -> Options {
    var options = Options()
    var words = words[...]
    while let word = words.popFirst() {
        guard let value = words.popFirst() else { fail(64, "\(word) needs a value") }
        switch word {
        case "--path": options.path = value
        case "--count":
            guard let count = Int(value), count > 0 else { fail(64, "--count \(value): not a positive number") }
            options.count = count
        case "--timeout":
            guard let seconds = Double(value), seconds > 0 else { fail(64, "--timeout \(value): not seconds") }
            options.timeout = seconds
        default: fail(64, "unknown option \(word) (usage: pppeventdump [--path P] [--count N] [--timeout S])")
        }
    }
    return options
}

/// Shared with the handler thread and the signal handlers (no captures there).
enum Running {
    static let receiver = Mutex<PPPEventReceiver?>(nil)
    static let printed = Mutex(0)

    /// Stops the receiver (removing the socket file) and exits.
    static func finish(_ status: Int32) -> Never {
        receiver.withLock { $0 }?.stop()
        exit(status)
    }
}

let options = parse(Array(CommandLine.arguments.dropFirst()))
do {
    let limit = options.count
    let receiver = try PPPEventReceiver(path: options.path) { result in
        let line: String
        switch result {
        case .success(let event): line = "\(event)\n"
        case .failure(let error): line = "error \(error)\n"
        }
        let bytes = Array(line.utf8)
        _ = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
        let total = Running.printed.withLock { value -> Int in
            value += 1
            return value
        }
        if total >= limit { Running.finish(0) }
    }
    Running.receiver.withLock { $0 = receiver }
} catch {
    fail(2, "\(error)")
}
signal(SIGTERM) { _ in Running.finish(0) }
signal(SIGINT) { _ in Running.finish(0) }
Running.receiver.withLock { $0 }?.start()
// Ready: scripts wait for this line before starting pppd.
let ready = Array("listening on \(options.path)\n".utf8)
_ = ready.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
if let timeout = options.timeout {
    usleep(useconds_t(timeout * 1_000_000))
    Running.finish(1)
}
while true { pause() }
