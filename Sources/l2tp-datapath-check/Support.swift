import CL2TPKernel
import L2TPDataPath

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A failed check: the program prints it and exits 1.
struct CheckFailure: Error, CustomStringConvertible {
    var description: String
}

func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws(CheckFailure) {
    if !condition { throw CheckFailure(description: message()) }
}

func pass(_ what: String) {
    print("check: ok: \(what)")
    fflush(nil)
}

/// Moves this thread into `/run/netns/<name>`: sockets made afterwards live there.
func enterNetns(_ name: String) throws(CheckFailure) {
    let rc = cl2tp_enter_netns("/run/netns/\(name)")
    try expect(rc == 0, "setns into \(name): errno \(-rc)")
}

/// A close-on-exec UDP socket bound to `local` and connected to `peer` (IPv4).
func udpSocket(
    local: String, localPort: UInt16, peer: String, peerPort: UInt16,
    reusePort: Bool = false
) throws(CheckFailure) -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    try expect(fd >= 0, "socket(AF_INET, SOCK_DGRAM): errno \(errno)")
    var one: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    if reusePort { setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, socklen_t(MemoryLayout<Int32>.size)) }
    func address(_ ip: String, _ port: UInt16) -> sockaddr_in {
        var sa = sockaddr_in()
        sa.sin_family = sa_family_t(AF_INET)
        sa.sin_port = port.bigEndian
        inet_pton(AF_INET, ip, &sa.sin_addr)
        return sa
    }
    var l = address(local, localPort)
    var p = address(peer, peerPort)
    let b = withUnsafePointer(to: &l) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    try expect(b == 0, "bind \(local):\(localPort): errno \(errno)")
    let c = withUnsafePointer(to: &p) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    try expect(c == 0, "connect \(peer):\(peerPort): errno \(errno)")
    return fd
}

/// Runs a shell command and returns its output (stdout and stderr).
@discardableResult
func shell(_ command: String) -> String {
    guard let pipe = popen("\(command) 2>&1", "r") else { return "" }
    var output: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = fread(&buffer, 1, buffer.count, pipe)
        if n <= 0 { break }
        output += buffer[0..<n]
    }
    pclose(pipe)
    return String(decoding: output, as: UTF8.self)
}

/// Spawns `argv` with `inherit` duplicated onto fd 3 (all else stays close-on-exec).
func spawn(_ argv: [String], inherit: Int32? = nil) throws(CheckFailure) -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    // dup2 onto the same number would keep close-on-exec: move it out of the way first.
    var moved: Int32 = -1
    defer { if moved >= 0 { close(moved) } }
    if let fd = inherit {
        var source = fd
        if fd == 3 { moved = fcntl(fd, F_DUPFD_CLOEXEC, 10); source = moved }
        posix_spawn_file_actions_adddup2(&actions, source, 3)
    }
    var pid: pid_t = 0
    var cArgs = argv.map { strdup($0) } + [nil]
    defer { for p in cArgs { free(p) } }
    let rc = posix_spawnp(&pid, argv[0], &actions, nil, &cArgs, environ)
    try expect(rc == 0, "spawn \(argv[0]): errno \(rc)")
    return pid
}

func sleepMilliseconds(_ ms: Int) { usleep(useconds_t(ms * 1000)) }

/// Polls `condition` every 500 ms until it holds or `seconds` pass.
func waitFor(seconds: Int, _ condition: () -> Bool) -> Bool {
    for _ in 0..<(seconds * 2) {
        if condition() { return true }
        sleepMilliseconds(500)
    }
    return condition()
}
