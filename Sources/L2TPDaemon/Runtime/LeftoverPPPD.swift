#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// One process as `/proc` shows it: enough to recognise a pppd that an
/// earlier openl2tpd started and left behind.
public struct ProcessSnapshot: Hashable, Sendable {
    public var pid: Int32
    public var parentPID: Int32
    /// `/proc/PID/comm`: the executable's name (15 characters at most).
    public var name: String
    public var arguments: [String]
    /// `/proc/PID/ns/net`, e.g. "net:[4026531833]".
    public var networkNamespace: String

    public init(pid: Int32, parentPID: Int32, name: String, arguments: [String], networkNamespace: String) {
        self.pid = pid
        self.parentPID = parentPID
        self.name = name
        self.arguments = arguments
        self.networkNamespace = networkNamespace
    }

    /// The value following `option` in the command line, if any.
    func argument(after option: String) -> String? {
        guard let index = arguments.firstIndex(of: option), index + 1 < arguments.count else { return nil }
        return arguments[index + 1]
    }
}

/// pppd processes left running by an openl2tpd that died without stopping
/// them (kill -9, a crash).
///
/// The kernel deletes a dead daemon's tunnels with their UDP sockets, but
/// pppd keeps its PPPoL2TP socket and its interface (with the session's
/// addresses) until LCP echoes time out, minutes later; meanwhile a restarted
/// daemon's new pppd for the same peer gets a second interface with the same
/// addresses. So at start the daemon stops them.
///
/// A pppd is taken for a leftover only when all of these hold, so another
/// running daemon's pppd, xl2tpd's, or a dial-up pppd is never touched:
/// - it runs our PPP stack: `plugin openl2tp.so` and `pppol2tp FD` (what
///   ppp_unix passes; xl2tpd and dial-up pppds do not load openl2tp.so);
/// - it is in our network namespace (another namespace is another host);
/// - its parent is init (pid 1): pppd does not detach (`nodetach`), so a
///   pppd whose openl2tpd is alive is that daemon's child.
public enum LeftoverPPPD {
    public static func select(_ processes: [ProcessSnapshot], networkNamespace: String) -> [ProcessSnapshot] {
        processes.filter { process in
            process.name == "pppd"
                && process.parentPID == 1
                && process.networkNamespace == networkNamespace
                && process.argument(after: "plugin") != nil
                && process.arguments.contains("openl2tp.so")
                && process.argument(after: "pppol2tp") != nil
        }
    }

    /// Every process `/proc` (or `root`, for tests) lists; processes that exit
    /// while being read are skipped.
    public static func readProcesses(root: String = "/proc") -> [ProcessSnapshot] {
        guard let directory = opendir(root) else { return [] }
        defer { closedir(directory) }
        var snapshots: [ProcessSnapshot] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard let pid = Int32(name), let snapshot = read(pid: pid, root: root) else { continue }
            snapshots.append(snapshot)
        }
        return snapshots
    }

    /// Our own network namespace, as `/proc/self/ns/net` names it.
    public static func ownNetworkNamespace(root: String = "/proc") -> String {
        readLink("\(root)/self/ns/net") ?? ""
    }

    /// Stops each process: SIGTERM, then SIGKILL for those still alive after
    /// `grace` seconds. Returns the pids it signalled.
    @discardableResult
    public static func stop(_ processes: [ProcessSnapshot], grace: Double = 2) -> [Int32] {
        let pids = processes.map(\.pid)
        for pid in pids { kill(pid, SIGTERM) }
        var waited = 0.0
        while waited < grace, pids.contains(where: isAlive) {
            usleep(50_000)
            waited += 0.05
        }
        for pid in pids where isAlive(pid) { kill(pid, SIGKILL) }
        // SIGKILL is delivered asynchronously: wait (briefly) until they are
        // gone, so that a new pppd never overlaps an old one's interface.
        waited = 0
        while waited < 1, pids.contains(where: isAlive) {
            usleep(10_000)
            waited += 0.01
        }
        return pids
    }

    // MARK: - /proc reading

    static func read(pid: Int32, root: String) -> ProcessSnapshot? {
        guard let stat = readFile("\(root)/\(pid)/stat"),
            let parentPID = parentPID(fromStat: stat),
            let comm = readFile("\(root)/\(pid)/comm"),
            let cmdline = readFile("\(root)/\(pid)/cmdline")
        else { return nil }
        let arguments = cmdline.split(separator: 0, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
            .dropLast(cmdline.last == 0 ? 1 : 0)
        let name = String(decoding: comm, as: UTF8.self).trimmingNewline()
        let namespace = readLink("\(root)/\(pid)/ns/net") ?? ""
        return ProcessSnapshot(
            pid: pid, parentPID: parentPID, name: name, arguments: Array(arguments), networkNamespace: namespace)
    }

    /// The fourth field of `/proc/PID/stat`; the second (the name, in
    /// parentheses) may itself hold spaces and parentheses, so parse after
    /// the last ')'.
    static func parentPID(fromStat stat: [UInt8]) -> Int32? {
        guard let close = stat.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = stat[(close + 1)...].split(separator: UInt8(ascii: " "))
        guard fields.count >= 2 else { return nil }
        return Int32(String(decoding: fields[1], as: UTF8.self))
    }

    static func isAlive(_ pid: Int32) -> Bool {
        // A zombie still answers kill(0); it is gone for our purposes.
        guard kill(pid, 0) == 0, let stat = readFile("/proc/\(pid)/stat"),
            let close = stat.lastIndex(of: UInt8(ascii: ")")), close + 2 < stat.count
        else { return false }
        return stat[close + 2] != UInt8(ascii: "Z")
    }

    static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes += buffer[0..<count]
            if bytes.count > 1 << 20 { break }
        }
        return bytes
    }

    static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension String {
    fileprivate func trimmingNewline() -> String {
        var text = self
        while text.last == "\n" { text.removeLast() }
        return text
    }
}
