import L2TPWire
import NIOCore

/// State every control connection of one endpoint shares: the injected
/// randomness, the action list being built for the current event, and the
/// endpoint-wide statistics.
final class EndpointCore {
    var random: any RandomNumberGenerator
    var actions: [L2TPAction] = []
    var statistics = ControlStatistics()

    init(random: any RandomNumberGenerator) {
        self.random = random
    }

    func emit(_ action: L2TPAction) { actions.append(action) }

    func takeActions() -> [L2TPAction] {
        defer { actions.removeAll(keepingCapacity: true) }
        return actions
    }

    func randomBytes(_ count: Int) -> [UInt8] { random.bytes(count) }

    func randomUInt64() -> UInt64 { random.next() }

    /// A random non-zero 16-bit id for which `isTaken` is false
    /// (RFC 2661 9.1: unpredictable ids).
    func randomID(isTaken: (UInt16) -> Bool) -> UInt16? {
        for _ in 0..<64 {
            let candidate = UInt16(truncatingIfNeeded: random.next())
            if candidate != 0, !isTaken(candidate) { return candidate }
        }
        // Nearly full: fall back to a scan from a random start.
        let start = UInt16(truncatingIfNeeded: random.next())
        var candidate = start
        repeat {
            if candidate != 0, !isTaken(candidate) { return candidate }
            candidate &+= 1
        } while candidate != start
        return nil
    }
}

/// A message queued on the reliable transport: encoded once with a zero
/// Ns/Nr; the header fields are patched at each (re)transmission.
struct OutgoingMessage {
    var type: MessageType
    var bytes: ByteBuffer
}

/// What the reliable transport hands up: a decoded message, or one that
/// failed to decode after its header (it still takes its Ns slot and gets
/// the RFC's answer once its turn comes).
enum IncomingMessage {
    case message(ControlMessage)
    case malformed(L2TPWireError)
}
