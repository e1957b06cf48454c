import DequeModule
import Logging
import NIOCore
import ONCRPC

/// One management connection: reassembles records, runs calls one at a time
/// through `RPCCallAcceptor` and the service, writes framed replies, and
/// enforces the idle and request timeouts. Anything it cannot answer (a bad
/// record header, an oversize record, a timeout) closes the connection; the
/// daemon and other connections carry on.
final class RPCConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let acceptor: RPCCallAcceptor
    private let caller: RPCCaller
    private let configuration: RPCServerConfiguration
    private let framer: RPCRecordFramer
    private let logger: Logger

    private var decoder: RecordMarkingDecoder
    private var queued: Deque<[UInt8]> = []
    /// A request is being processed or its reply written: take no other.
    private var busy = false
    /// The daemon is running a call (the idle timer must not blame the client).
    private var callRunning = false
    private var closing = false
    private var idleTimer: Scheduled<Void>?
    private var requestTimer: Scheduled<Void>?

    init(acceptor: RPCCallAcceptor, caller: RPCCaller, configuration: RPCServerConfiguration, logger: Logger) {
        self.acceptor = acceptor
        self.caller = caller
        self.configuration = configuration
        self.framer = RPCRecordFramer(maxFragmentSize: configuration.maxReplyFragmentSize)
        self.logger = logger
        self.decoder = RecordMarkingDecoder(maxRecordSize: configuration.maxRequestSize)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // Added after the peer's identity was looked up: the channel may
        // already be active, and then channelActive will not come.
        if context.channel.isActive { armIdleTimer(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        armIdleTimer(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        idleTimer?.cancel()
        requestTimer?.cancel()
        closing = true
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        let buffer = unwrapInboundIn(data)
        decoder.feed(buffer.readableBytesView)
        armIdleTimer(context: context)
        do {
            while let record = try decoder.nextRecord() {
                guard queued.count < configuration.maxQueuedRequests else {
                    close(context: context, reason: "more than \(configuration.maxQueuedRequests) queued requests")
                    return
                }
                queued.append(record)
            }
        } catch {
            close(context: context, reason: "\(error)")
            return
        }
        updateRequestTimer(context: context)
        processNext(context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        close(context: context, reason: "\(error)")
    }

    // MARK: - Calls

    private func processNext(context: ChannelHandlerContext) {
        guard !busy, !closing, let record = queued.popFirst() else { return }
        switch acceptor.decide(record: record, caller: caller) {
        case .close(let reason):
            close(context: context, reason: reason)
        case .reply(let reply):
            send(reply, context: context)
        case .dispatch(let call):
            busy = true
            callRunning = true
            let service = acceptor.service
            let promise = context.eventLoop.makePromise(of: RPCProcedureOutcome.self)
            promise.completeWithTask { await service.handle(call) }
            let loopBoundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
            let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
            promise.futureResult.whenSuccess { outcome in
                let handler = loopBoundSelf.value
                handler.busy = false
                handler.callRunning = false
                handler.send(
                    RPCCallAcceptor.replyRecord(for: call, outcome: outcome), context: loopBoundContext.value)
            }
        }
    }

    /// Writes one reply in chunks, and takes the next request only once the
    /// whole reply has reached the socket: a client that does not read cannot
    /// make us buffer an unbounded number of replies. Each chunk written counts
    /// as progress for the idle timer, so a slow reader of a large reply is
    /// served while one that stops reading is closed.
    private func send(_ record: [UInt8], context: ChannelHandlerContext) {
        guard !closing else { return }
        busy = true
        writeChunks(framer.frame(record, allocator: context.channel.allocator), context: context)
    }

    private func writeChunks(_ remaining: ByteBuffer, context: ChannelHandlerContext) {
        guard !closing else { return }
        var remaining = remaining
        let chunk = remaining.readSlice(length: min(configuration.maxReplyFragmentSize, remaining.readableBytes))!
        let loopBoundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        let loopBoundRemaining = NIOLoopBound(remaining, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(chunk)).whenComplete { result in
            let handler = loopBoundSelf.value
            let context = loopBoundContext.value
            switch result {
            case .success:
                handler.armIdleTimer(context: context)
                if loopBoundRemaining.value.readableBytes > 0 {
                    handler.writeChunks(loopBoundRemaining.value, context: context)
                } else {
                    handler.busy = false
                    handler.processNext(context: context)
                }
            case .failure(let error):
                handler.close(context: context, reason: "write failed: \(error)")
            }
        }
    }

    // MARK: - Timeouts

    private func armIdleTimer(context: ChannelHandlerContext) {
        idleTimer?.cancel()
        let loopBoundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        idleTimer = context.eventLoop.scheduleTask(in: configuration.idleTimeout) {
            let handler = loopBoundSelf.value
            // A call still running is the daemon's doing, not the client's. A
            // reply still unwritten after the idle time means the client does
            // not read: close, or it could pin a connection slot for ever.
            if handler.callRunning {
                handler.armIdleTimer(context: loopBoundContext.value)
            } else {
                let reason = handler.busy ? "client does not read its reply" : "idle timeout"
                handler.close(context: loopBoundContext.value, reason: reason)
            }
        }
    }

    /// Starts the request deadline when a record begins, stops it when no
    /// record is partially received: a client trickling bytes cannot hold the
    /// connection open forever.
    private func updateRequestTimer(context: ChannelHandlerContext) {
        if decoder.hasPartialRecord {
            guard requestTimer == nil else { return }
            let loopBoundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
            let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
            requestTimer = context.eventLoop.scheduleTask(in: configuration.requestTimeout) {
                loopBoundSelf.value.close(context: loopBoundContext.value, reason: "incomplete request timed out")
            }
        } else {
            requestTimer?.cancel()
            requestTimer = nil
        }
    }

    private func close(context: ChannelHandlerContext, reason: String) {
        guard !closing else { return }
        closing = true
        idleTimer?.cancel()
        requestTimer?.cancel()
        logger.debug("closing management connection", metadata: ["peer": "\(caller)", "reason": "\(reason)"])
        context.close(promise: nil)
    }
}

/// Frames reply records into a `ByteBuffer` (RFC 5531 11).
struct RPCRecordFramer: Sendable {
    let encoder: RecordMarkingEncoder

    init(maxFragmentSize: Int) {
        encoder = RecordMarkingEncoder(maxFragmentSize: maxFragmentSize)
    }

    func frame(_ record: [UInt8], allocator: ByteBufferAllocator) -> ByteBuffer {
        let bytes = encoder.frame(record)
        var buffer = allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        return buffer
    }
}
