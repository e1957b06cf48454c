public import Foundation

/// Stands in for the daemon's event loop in plugin host tests: `deliver`
/// (the closure `PluginHost.enableDeferredDecisions` wants) queues work from
/// any thread, and `run` executes it on the test's own thread, the one that
/// owns the host.
public final class TestEventLoop: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [@Sendable () -> Void] = []

    public init() {}

    public var deliver: @Sendable (@escaping @Sendable () -> Void) -> Void {
        { [self] work in
            condition.lock()
            queue.append(work)
            condition.signal()
            condition.unlock()
        }
    }

    /// Runs delivered work until `done()` holds; false if `timeout` seconds
    /// passed first.
    @discardableResult
    public func run(timeout: TimeInterval = 10, until done: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !done() {
            guard Date() < deadline else { return false }
            condition.lock()
            // Wakes at least every 10 ms: `done` may wait for another thread.
            if queue.isEmpty { _ = condition.wait(until: min(deadline, Date().addingTimeInterval(0.01))) }
            let work = queue
            queue = []
            condition.unlock()
            for item in work { item() }
        }
        return true
    }

    /// Runs whatever was delivered so far, without waiting.
    public func runPending() {
        condition.lock()
        let work = queue
        queue = []
        condition.unlock()
        for item in work { item() }
    }

    /// A monotonic clock in ns, as the daemon passes `now:`.
    public static var now: UInt64 { DispatchTime.now().uptimeNanoseconds }
}

/// Runs `body` on a thread of its own and waits for its result: a plugin
/// answering from its own thread.
public func onAnotherThread<Result: Sendable>(_ body: @escaping @Sendable () -> Result) -> Result {
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var result: Result?
    let thread = Thread {
        result = body()
        done.signal()
    }
    thread.start()
    done.wait()
    return result!
}
