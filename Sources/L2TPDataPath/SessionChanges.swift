/// Changes to a running session; nil leaves an option as it is.
public struct SessionChanges: Hashable, Sendable {
    public var sendSequenceNumbers: Bool?
    public var requireSequenceNumbers: Bool?
    public var lnsMode: Bool?
    public var reorderTimeoutMilliseconds: UInt32?
    public var debugMask: UInt32?

    public init(
        sendSequenceNumbers: Bool? = nil, requireSequenceNumbers: Bool? = nil,
        lnsMode: Bool? = nil, reorderTimeoutMilliseconds: UInt32? = nil,
        debugMask: UInt32? = nil
    ) {
        self.sendSequenceNumbers = sendSequenceNumbers
        self.requireSequenceNumbers = requireSequenceNumbers
        self.lnsMode = lnsMode
        self.reorderTimeoutMilliseconds = reorderTimeoutMilliseconds
        self.debugMask = debugMask
    }

    public var isEmpty: Bool {
        sendSequenceNumbers == nil && requireSequenceNumbers == nil && lnsMode == nil
            && reorderTimeoutMilliseconds == nil && debugMask == nil
    }
}
