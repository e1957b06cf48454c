import ArgumentParser
import L2TPControl
import L2TPLoadGen
import L2TPWire

#if canImport(Glibc)
    import Glibc
#endif

/// `sccrq-flood`: SCCRQs from many source addresses that never answer the
/// SCCRP: every one is a half-open tunnel on the LNS.
struct SCCRQFloodCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sccrq-flood",
        abstract: "Send SCCRQs at --rate per second for --duration seconds from --source-count addresses.",
        discussion: """
            Each source address has one UDP socket, bound to it and kept open (never read) until the \
            flood ends, so the LNS's SCCRPs are not answered at all, not even with ICMP port \
            unreachable. Every SCCRQ carries a fresh Assigned Tunnel ID. On loopback any 127/8 prefix \
            works; in a network namespace add a local route for the prefix first \
            (ip route add local 10.98.0.0/16 dev lo) and route it to the flooder. Stops by itself \
            after --duration or --count; then counts the replies that wait in the sockets and prints \
            'flood sent=N ...'.
            """)

    @Argument(help: "The LNS, HOST:PORT (dotted IPv4).")
    var target: String

    @Option(help: "SCCRQs per second.")
    var rate = 300

    @Option(help: "Seconds to flood.")
    var duration = 20.0

    @Option(help: "Stop after this many SCCRQs (default: rate x duration).")
    var count: Int?

    @Option(help: "Prefix the source addresses come from.")
    var sources = "127.100.0.0/16"

    @Option(name: .customLong("source-count"), help: "Distinct source addresses, used in turn.")
    var sourceCount = 5000

    @Option(name: .customLong("host-name"), help: "Host Name AVP of the SCCRQs.")
    var hostName = "flood"

    func validate() throws {
        guard parseTarget(target) != nil else { throw ValidationError("target must be HOST:PORT, e.g. 127.0.0.1:1701") }
        guard (1...100_000).contains(rate) else { throw ValidationError("--rate must be 1 to 100000") }
        guard duration > 0, duration <= 3600 else { throw ValidationError("--duration must be 0 to 3600 seconds") }
        do { _ = try SourceAddressPlan(prefix: sources, count: sourceCount) } catch {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let peer = parseTarget(target)!
        let plan = try! SourceAddressPlan(prefix: sources, count: sourceCount)
        let limit = raiseDescriptorLimit(to: sourceCount + 64)
        guard limit >= sourceCount + 16 else {
            throw ValidationError("descriptor limit \(limit) is too low for \(sourceCount) sources")
        }
        // Every source's socket first, so that socket creation does not eat
        // into the pace (it is slow under emulation).
        var sockets: [UDPSocket] = []
        sockets.reserveCapacity(plan.count)
        for index in 0..<plan.count { sockets.append(try UDPSocket(bindingTo: plan.address(index))) }
        let start = monotonicNow()
        let pacer = RatePacer(
            perSecond: rate, duration: .milliseconds(UInt64(duration * 1000)), limit: count, start: start)
        say("flood: \(pacer.limit) SCCRQs at \(rate)/s from \(sourceCount) sources in \(sources) to \(target)")
        let sccrq = FloodSCCRQ(hostName: hostName)
        var sent = 0
        var sendErrors = 0
        while !pacer.isDone(sent: sent, at: monotonicNow()) {
            // A sender that falls behind catches up, but never past the duration.
            let due = pacer.due(at: monotonicNow())
            while sent < due, sent % 64 != 63 || !pacer.isDone(sent: sent, at: monotonicNow()) {
                let datagram = sccrq.datagram(assignedTunnelID: UInt16.random(in: 1...UInt16.max))
                if !sockets[sent % plan.count].send(datagram, to: peer) { sendErrors += 1 }
                sent += 1
            }
            let wait = pacer.nextDue(after: sent) - monotonicNow()
            usleep(useconds_t(min(max(wait.nanoseconds / 1000, 200), 50_000)))
        }
        let elapsed = Int((monotonicNow() - start).nanoseconds / 1_000_000)
        var replies: [String: Int] = [:]
        for socket in sockets {
            while let (datagram, _) = socket.receive() {
                replies[FloodSCCRQ.classify(datagram).map { "\($0)" } ?? "other", default: 0] += 1
            }
            socket.close()
        }
        let replyText = replies.keys.sorted().map { "\($0):\(replies[$0]!)" }.joined(separator: ",")
        say(
            "flood sent=\(sent) sources=\(min(sent, plan.count)) send_errors=\(sendErrors) replies=\(replyText.isEmpty ? "-" : replyText) elapsed_ms=\(elapsed)"
        )
    }
}
