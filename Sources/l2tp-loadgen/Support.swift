#if canImport(Glibc)
    import Glibc
#endif
import L2TPControl
import L2TPLoadGen

/// CLOCK_MONOTONIC as the core's instant type.
func monotonicNow() -> L2TPInstant {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return L2TPInstant(nanoseconds: UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec))
}

/// `HOST:PORT` with a dotted IPv4 host (tests speak to loopback or to a
/// namespace's address, never to names).
func parseTarget(_ text: String) -> UDPSocket.Endpoint? {
    guard let colon = text.lastIndex(of: ":"), let address = IPv4.parse(String(text[..<colon])),
        let port = UInt16(text[text.index(after: colon)...]), port != 0
    else { return nil }
    return UDPSocket.Endpoint(address: address, port: port)
}

/// Raises the soft descriptor limit to at least `wanted` (up to the hard
/// limit, which only root can raise); returns the limit in force.
func raiseDescriptorLimit(to wanted: Int) -> Int {
    var limit = rlimit()
    getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    if limit.rlim_cur < rlim_t(wanted) {
        // Root may raise the hard limit too (the kernel VM's is 4096).
        if limit.rlim_max < rlim_t(wanted) {
            var raised = limit
            raised.rlim_max = rlim_t(wanted)
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        limit.rlim_cur = min(rlim_t(wanted), limit.rlim_max)
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
    return Int(limit.rlim_cur)
}

/// A random non-zero 16-bit id not in `taken`.
func freshID(avoiding taken: Set<UInt16>) -> UInt16 {
    while true {
        let id = UInt16.random(in: 1...UInt16.max)
        if !taken.contains(id) { return id }
    }
}

/// Unbuffered line to stdout, so a test reading our output sees it at once.
func say(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    bytes.withUnsafeBytes { _ = write(1, $0.baseAddress, $0.count) }
}
