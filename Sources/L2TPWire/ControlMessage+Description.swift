import NIOCore

// MARK: - Log-friendly descriptions

extension ControlMessage: CustomStringConvertible {
    /// One line for logs: type, ids, sequence numbers and AVP attributes,
    /// e.g. `SCCRQ tunnel 0 session 0 ns 0 nr 0 [Protocol Version, Host Name, ...]`.
    /// Values are left out on purpose: challenges and secrets-derived data
    /// must not end up in logs.
    public var description: String {
        let kind = messageType.map { "\($0)" } ?? "ZLB"
        var text = "\(kind) tunnel \(tunnelID) session \(sessionID) ns \(ns) nr \(nr)"
        let names = avps.dropFirst(messageType == nil ? 0 : 1).map { entry in
            let name = entry.value.type?.name ?? "\(entry.value.attribute)"
            return entry.isHidden ? name + " (hidden)" : name
        }
        if !names.isEmpty { text += " [" + names.joined(separator: ", ") + "]" }
        return text
    }
}

extension ControlMessage {
    /// Rewrites Ns and Nr of an already encoded control message in place
    /// (bytes 8-11 of the header, RFC 2661 3.1). A retransmission carries the
    /// current Nr (RFC 2661 5.8) and this avoids re-encoding the AVPs.
    /// Returns false, leaving the buffer untouched, if the readable bytes do
    /// not start with a control header.
    @discardableResult
    public static func rewriteSequenceNumbers(in buffer: inout ByteBuffer, ns: UInt16, nr: UInt16) -> Bool {
        let start = buffer.readerIndex
        guard buffer.readableBytes >= L2TPHeader.controlHeaderLength,
            let flags = buffer.getInteger(at: start, as: UInt16.self),
            flags & 0xC80F == 0xC802
        else { return false }
        buffer.setInteger(ns, at: start + 8)
        buffer.setInteger(nr, at: start + 10)
        return true
    }
}
