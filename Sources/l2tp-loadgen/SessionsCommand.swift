import ArgumentParser
import L2TPControl
import L2TPLoadGen

/// `sessions`: T well-behaved LAC tunnels, each placing S incoming calls.
struct SessionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "Open T tunnels and place S incoming calls in each; print one summary line.",
        discussion: """
            Exit status 0 when every tunnel and call got a definite answer (up, or refused with \
            StopCCN/CDN); 1 on protocol errors, an unreachable peer, or anything unanswered at \
            --timeout. Output: 'settled ...' once every call has its answer, then after --hold \
            the 'summary ...' line (key=value; result codes as code:count).
            """)

    @Argument(help: "The LNS, HOST:PORT (dotted IPv4).")
    var target: String

    @Option(help: "Tunnels, each from its own UDP port.")
    var tunnels = 1

    @Option(help: "Incoming calls per tunnel.")
    var sessions = 1

    @Flag(help: "Send every ICRQ before any ICCN (within the peer's window); otherwise one call at a time.")
    var pipeline = false

    @Option(help: "Source address to bind (any 127/8 address on loopback).")
    var source = "0.0.0.0"

    @Option(name: .customLong("host-name"), help: "Host Name AVP of the SCCRQs.")
    var hostName = "l2tp-loadgen"

    @Option(help: "Receive Window Size to advertise.")
    var window: UInt16 = 64

    @Option(help: "Seconds to keep the tunnels and calls up once settled, before closing them.")
    var hold = 0.0

    @Option(help: "Seconds to wait for every answer before giving up.")
    var timeout = 60.0

    func validate() throws {
        guard parseTarget(target) != nil else { throw ValidationError("target must be HOST:PORT, e.g. 127.0.0.1:1701") }
        guard IPv4.parse(source) != nil else { throw ValidationError("--source must be a dotted IPv4 address") }
        guard (1...1000).contains(tunnels) else { throw ValidationError("--tunnels must be 1 to 1000") }
        guard (0...65534).contains(sessions) else { throw ValidationError("--sessions must be 0 to 65534") }
        guard window > 0 else { throw ValidationError("--window must be at least 1") }
    }

    func run() throws {
        let peer = parseTarget(target)!
        var configuration = LoadTunnelConfiguration()
        configuration.calls = sessions
        configuration.pipeline = pipeline
        configuration.hostName = hostName
        configuration.receiveWindow = window
        _ = raiseDescriptorLimit(to: tunnels + 64)

        let started = monotonicNow()
        var run = try SessionsRun(
            peer: peer, source: IPv4.parse(source)!, tunnels: tunnels, configuration: configuration, now: started)
        say(
            "sessions: \(tunnels) tunnel(s) x \(sessions) call(s)\(pipeline ? " pipelined" : "") to \(target) from \(source)"
        )
        let deadline = started + .milliseconds(UInt64(timeout * 1000))
        let settled = run.serve(until: deadline, stopWhenSettled: true)
        let elapsed = Int((monotonicNow() - started).nanoseconds / 1_000_000)
        say(settled ? "settled after \(elapsed) ms; holding \(hold) s" : "not settled after \(timeout) s")
        if settled, hold > 0 {
            _ = run.serve(until: monotonicNow() + .milliseconds(UInt64(hold * 1000)), stopWhenSettled: false)
        }
        // Counted before our StopCCNs: what was up at the end of the run.
        let tally = run.tally
        run.closeAll(waitingAtMost: .seconds(3))
        say(tally.summaryLine(elapsedMilliseconds: Int((monotonicNow() - started).nanoseconds / 1_000_000)))
        for message in tally.errorMessages { say("error: \(message)") }
        if !tally.isClean { throw ExitCode(1) }
    }
}

/// The I/O around the tunnels: one socket each, a poll loop, the timers.
struct SessionsRun {
    private var tunnels: [LoadTunnel] = []
    private var sockets: [UDPSocket] = []
    /// Where each tunnel's peer answers from (the LNS may reply from a
    /// port of its own, RFC 2661 8.1): learnt from each datagram.
    private var peers: [UDPSocket.Endpoint] = []

    init(
        peer: UDPSocket.Endpoint, source: UInt32, tunnels count: Int, configuration: LoadTunnelConfiguration,
        now: L2TPInstant
    ) throws {
        var taken: Set<UInt16> = []
        for index in 0..<count {
            let id = freshID(avoiding: taken)
            taken.insert(id)
            let socket = try UDPSocket(bindingTo: source)
            var tunnel = LoadTunnel(
                localTunnelID: id, configuration: configuration, firstCallSerial: UInt32(index * 65_536 + 1))
            for datagram in tunnel.start(now: now) { _ = socket.send(datagram, to: peer) }
            tunnels.append(tunnel)
            sockets.append(socket)
            peers.append(peer)
        }
    }

    var tally: LoadTally { tunnels.reduce(LoadTally()) { $0 + $1.tally } }

    /// Serves datagrams and timers until `deadline`, or (with
    /// `stopWhenSettled`) until every tunnel has settled. Returns whether
    /// every tunnel settled.
    mutating func serve(until deadline: L2TPInstant, stopWhenSettled: Bool) -> Bool {
        while true {
            let now = monotonicNow()
            let settled = tunnels.allSatisfy(\.isSettled)
            if (settled && stopWhenSettled) || now >= deadline { return settled }
            var wake = min(deadline, now + .milliseconds(100))
            for tunnel in tunnels { if let d = tunnel.nextDeadline { wake = min(wake, d) } }
            let waitMs = Int32((wake - now).nanoseconds / 1_000_000)
            for index in waitReadable(sockets, milliseconds: waitMs) {
                while let (datagram, from) = sockets[index].receive() {
                    peers[index] = from
                    let replies = tunnels[index].receive(datagram, now: monotonicNow())
                    for reply in replies { _ = sockets[index].send(reply, to: from) }
                }
            }
            let later = monotonicNow()
            for index in tunnels.indices {
                guard let due = tunnels[index].nextDeadline, due <= later else { continue }
                for datagram in tunnels[index].handleTimeout(now: later) {
                    _ = sockets[index].send(datagram, to: peers[index])
                }
            }
        }
    }

    /// StopCCN on every tunnel still up; waits for the acknowledgements.
    mutating func closeAll(waitingAtMost limit: L2TPDuration) {
        let now = monotonicNow()
        for index in tunnels.indices {
            for datagram in tunnels[index].close(now: now) { _ = sockets[index].send(datagram, to: peers[index]) }
        }
        let deadline = now + limit
        while !tunnels.allSatisfy(\.isFinished), monotonicNow() < deadline {
            _ = serve(until: min(deadline, monotonicNow() + .milliseconds(200)), stopWhenSettled: false)
        }
        for socket in sockets { socket.close() }
    }
}
