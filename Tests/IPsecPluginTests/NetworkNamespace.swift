import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A network namespace made with `ip netns add` for one test, so XFRM
/// policies never touch the host's. Plugin calls run on a thread that
/// entered it with setns(2); `ip netns exec` shows what the kernel holds.
final class NetworkNamespace: Sendable {
    struct CommandError: Error, CustomStringConvertible {
        var description: String
    }

    let name: String

    /// True when this process may create namespaces and use XFRM (root).
    static let isAvailable: Bool = geteuid() == 0 && FileManager.default.isExecutableFile(atPath: ip)

    private static let ip =
        ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        } ?? "/usr/sbin/ip"

    init() throws {
        name = "ol2tp-ipsec-\(getpid())-\(UUID().uuidString.prefix(8))"
        try Self.run([Self.ip, "netns", "add", name])
    }

    deinit { _ = try? Self.run([Self.ip, "netns", "del", name]) }

    /// `ip netns exec NAME ip ARGUMENTS...`
    @discardableResult
    func ip(_ arguments: String...) throws -> String {
        try Self.run([Self.ip, "netns", "exec", name, Self.ip] + arguments)
    }

    /// Connects this namespace to `peer` with a veth pair and addresses
    /// `localAddress`/24 here, `peerAddress`/24 there.
    func link(to peer: NetworkNamespace, localAddress: String, peerAddress: String) throws {
        try ip("link", "add", "veth0", "type", "veth", "peer", "name", "veth1", "netns", peer.name)
        try ip("address", "add", "\(localAddress)/24", "dev", "veth0")
        try ip("link", "set", "veth0", "up")
        try peer.ip("address", "add", "\(peerAddress)/24", "dev", "veth1")
        try peer.ip("link", "set", "veth1", "up")
    }

    /// The namespace's XFRM policies, one normalized line each, sorted.
    func policies() throws -> [String] {
        XFRMPolicyListing.parse(try ip("xfrm", "policy", "list"))
    }

    /// Runs `body` on a fresh thread inside the namespace and waits for it.
    /// The thread ends afterwards, so no other work ever runs in the namespace.
    func run<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) throws -> Result {
        let outcome = OutcomeBox<Result>()
        let done = DispatchSemaphore(value: 0)
        let path = "/run/netns/\(name)"
        let thread = Thread {
            outcome.set(
                Swift.Result {
                    try Self.enter(path)
                    return try body()
                })
            done.signal()
        }
        thread.start()
        done.wait()
        return try outcome.get()
    }

    private static func enter(_ path: String) throws {
        typealias SetNS = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "setns") else {
            throw CommandError(description: "setns not found in libc")
        }
        let setns = unsafeBitCast(symbol, to: SetNS.self)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CommandError(description: "open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let cloneNewNet: Int32 = 0x4000_0000
        guard setns(fd, cloneNewNet) == 0 else {
            throw CommandError(description: "setns \(path): \(String(cString: strerror(errno)))")
        }
    }

    @discardableResult
    static func run(_ command: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandError(description: "\(command.joined(separator: " ")) failed: \(errorText)")
        }
        return text
    }
}

/// Carries a thread's result back to the waiting test.
private final class OutcomeBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var outcome: Result<Value, any Error>?

    func set(_ value: Result<Value, any Error>) { lock.withLock { outcome = value } }

    func get() throws -> Value {
        guard let outcome = lock.withLock({ outcome }) else {
            throw NetworkNamespace.CommandError(description: "namespace thread ended without a result")
        }
        return try outcome.get()
    }
}
