import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Receives pppd's event datagrams on a safely bound socket and hands each
/// decoded event (or the reason a datagram was rejected) to a handler.
///
/// Two ways to use it:
/// - `start()`: a private thread waits on the socket and calls `handler` on
///   that thread (hop to your event loop inside the handler);
/// - or register `fileDescriptor` with your own loop for readability and call
///   `receiveAvailable()` when it is readable (never blocks).
/// Use one or the other, not both. `stop()` ends the thread, closes the
/// socket and removes the socket file if it is still ours; a started
/// receiver is kept alive by its thread until `stop()` (deinit also stops an
/// unstarted one).
public final class PPPEventReceiver: @unchecked Sendable {
    public typealias Handler = @Sendable (Result<PPPEvent, PPPEventError>) -> Void

    public let path: String
    /// Non-blocking, close-on-exec.
    public let fileDescriptor: Int32
    private let handler: Handler
    private let inode: ino_t
    private let device: dev_t
    /// wakeup[0] is polled by the thread, wakeup[1] written by `stop()`.
    private var wakeup: (Int32, Int32) = (-1, -1)
    private let state = Mutex<(thread: pthread_t?, stopped: Bool)>((nil, false))

    public init(
        path: String = PPPEventWire.defaultSocketPath, mode: mode_t = 0o600, handler: @escaping Handler
    ) throws(PPPEventSocketError) {
        self.path = path
        self.handler = handler
        fileDescriptor = try PPPEventSocket.bind(path: path, mode: mode)
        var onDisk = stat()
        lstat(path, &onDisk)
        inode = onDisk.st_ino
        device = onDisk.st_dev
    }

    deinit { stop() }

    /// Reads every queued datagram without blocking; returns how many.
    @discardableResult
    public func receiveAvailable() -> Int {
        var buffer = [UInt8](repeating: 0, count: PPPEventWire.maximumMessageLength + 1)
        var count = 0
        while true {
            // MSG_TRUNC: the real length of an oversize datagram, so it is
            // reported as oversize rather than parsed cut short.
            let received = buffer.withUnsafeMutableBytes {
                recv(fileDescriptor, $0.baseAddress, $0.count, Int32(MSG_TRUNC | MSG_DONTWAIT))
            }
            if received < 0 {
                if errno == EINTR { continue }
                return count
            }
            count += 1
            if received > PPPEventWire.maximumMessageLength {
                handler(.failure(.oversize(length: received)))
                continue
            }
            handler(
                buffer.withUnsafeBytes { raw in
                    Result { () throws(PPPEventError) in
                        try PPPEventDecoder.decode(UnsafeRawBufferPointer(rebasing: raw[0..<received]))
                    }
                })
        }
    }

    /// Starts the receiving thread (once).
    public func start() {
        state.withLock { state in
            guard state.thread == nil, !state.stopped else { return }
            var pipeEnds: [Int32] = [-1, -1]
            let kind = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
            guard socketpair(AF_UNIX, kind, 0, &pipeEnds) == 0 else { return }
            wakeup = (pipeEnds[0], pipeEnds[1])
            let box = Unmanaged.passRetained(self).toOpaque()
            var thread = pthread_t()
            let created = pthread_create(
                &thread, nil,
                { argument in
                    let receiver = Unmanaged<PPPEventReceiver>.fromOpaque(argument!).takeRetainedValue()
                    receiver.run()
                    return nil
                }, box)
            if created == 0 {
                state.thread = thread
            } else {
                Unmanaged<PPPEventReceiver>.fromOpaque(box).release()
            }
        }
    }

    /// Stops the thread, closes the socket and removes its file (if ours).
    public func stop() {
        let (thread, first) = state.withLock { state -> (pthread_t?, Bool) in
            defer { state.stopped = true }
            return (state.thread, !state.stopped)
        }
        guard first else { return }
        if let thread {
            var byte: UInt8 = 1
            _ = write(wakeup.1, &byte, 1)
            if pthread_equal(thread, pthread_self()) == 0 { pthread_join(thread, nil) } else { pthread_detach(thread) }
            close(wakeup.0)
            close(wakeup.1)
        }
        close(fileDescriptor)
        PPPEventSocket.unlinkIfOurs(path: path, boundInode: inode, device: device)
    }

    private func run() {
        var fds = [
            pollfd(fd: fileDescriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeup.0, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if fds[1].revents != 0 { return }
            if fds[0].revents & Int16(POLLIN) != 0 { receiveAvailable() }
            if fds[0].revents & Int16(POLLERR | POLLNVAL) != 0 { return }
        }
    }
}
