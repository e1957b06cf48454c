import COpenL2TPPlugin

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Loads openl2tpd plugins (shared objects written against
/// plugin-sdk/include/openl2tp_plugin.h) and calls them at each tunnel,
/// session, PPP and socket event the daemon reports.
///
/// The daemon calls one method per event with a value snapshot; the host
/// calls every plugin in load order and enforces the per-object order
/// created -> up -> down -> deleted (docs/plugins.md).
///
/// Not thread-safe by design: create it, load plugins and report events on
/// the daemon's event loop thread only. Hooks run synchronously on that
/// thread. Only the `log` and `actions` handlers may be called from other
/// threads (by plugins' own threads), so they must be `@Sendable`.
public final class PluginHost {
    public static let defaultPluginDirectory = "/usr/lib/openl2tp"
    /// Overrides the default plugin directory (tests, development trees).
    public static let pluginDirectoryEnvironmentVariable = "OPENL2TP_PLUGIN_DIR"

    /// Where bare plugin names are looked up.
    public let pluginDirectory: String
    public let daemonVersion: String
    /// Loaded plugins, in load (and call) order.
    public private(set) var plugins: [LoadedPlugin] = []

    let shared: HostShared
    let api: UnsafePointer<ol2tp_host_api_t>
    var registrations: [HookRegistration] = []
    private var contextTokens: [UInt] = []
    var ledger = LifecycleLedger()
    var dispatchDepth = 0
    /// Deferred decisions (ABI 1.2), nil until `enableDeferredDecisions`.
    var deferred: DeferredDecisions?

    /// - Parameters:
    ///   - pluginDirectory: nil means `$OPENL2TP_PLUGIN_DIR`, else
    ///     `/usr/lib/openl2tp`.
    ///   - log: receives plugins' log lines and the host's own warnings
    ///     (refused loads, events out of order). Any thread.
    ///   - actions: receives what plugins ask the daemon to do (close a
    ///     session or tunnel). Any thread; never while a hook is running on
    ///     the event loop (such requests are held until the event returns).
    ///     The daemon should hop to its event loop and carry the action out.
    public init(
        daemonVersion: String = OpenL2TPVersion.string,
        pluginDirectory: String? = nil,
        log: @escaping @Sendable (PluginLogMessage) -> Void = { _ in },
        actions: @escaping @Sendable (PluginAction) -> Void = { _ in }
    ) {
        self.daemonVersion = daemonVersion
        self.pluginDirectory =
            pluginDirectory ?? getenv(Self.pluginDirectoryEnvironmentVariable).map { String(cString: $0) }
            ?? Self.defaultPluginDirectory
        self.shared = HostShared(log: log, act: actions)
        self.api = HostAPITable.make(daemonVersion: daemonVersion)
    }

    deinit { unloadAll() }

    // MARK: - Loading

    /// Loads `openl2tpd -p NAME[:ARGUMENTS]`.
    public func load(commandLineArgument: String) throws(PluginLoadError) {
        let spec = PluginSpec(commandLineArgument: commandLineArgument)
        try load(spec.nameOrPath, arguments: spec.arguments)
    }

    /// Loads a plugin (RTLD_NOW | RTLD_LOCAL), checks its ABI version and
    /// runs its init. The same file may be loaded more than once: each load
    /// is its own instance with its own arguments.
    public func load(_ nameOrPath: String, arguments: String = "") throws(PluginLoadError) {
        let path = PluginLocator(directory: pluginDirectory).path(for: nameOrPath)
        do throws(PluginLoadError) {
            try loadResolved(path: path, arguments: arguments)
        } catch {
            shared.log(PluginLogMessage(plugin: nil, level: .error, message: error.message))
            throw error
        }
    }

    private func loadResolved(path: String, arguments: String) throws(PluginLoadError) {
        // Plugins are never dlclose()d: Swift images cannot be unmapped safely,
        // and a plugin's threads may outlive its unload.
        guard let library = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            throw .cannotOpen(path: path, dlerror: Self.lastDLError())
        }
        _ = dlerror()
        guard let symbol = dlsym(library, PluginABI.entrySymbol) else {
            throw .missingEntrySymbol(path: path, dlerror: Self.lastDLError())
        }
        let entry = unsafeBitCast(symbol, to: (@convention(c) () -> UnsafePointer<ol2tp_plugin_descriptor_t>?).self)
        let descriptor = try Self.readDescriptor(entry(), path: path)

        let declaredName = try Self.descriptorText(
            descriptor.name, length: descriptor.name_len, field: "name", path: path)
        // A plugin without a name is still named in logs: by its file.
        let name = declaredName.isEmpty ? String(path.split(separator: "/").last ?? "") : declaredName
        let version = try Self.descriptorText(
            descriptor.version, length: descriptor.version_len, field: "version", path: path)
        guard descriptor.abi_major == PluginABI.major else {
            throw .abiMismatch(
                path: path, name: name, pluginMajor: descriptor.abi_major, pluginMinor: descriptor.abi_minor)
        }
        guard let initialize = descriptor.`init` else {
            throw .invalidDescriptor(path: path, problem: "init is NULL")
        }
        if descriptor.abi_minor > PluginABI.minor {
            shared.log(
                PluginLogMessage(
                    plugin: name, level: .notice,
                    message: "built for ABI \(descriptor.abi_major).\(descriptor.abi_minor), daemon has "
                        + "\(PluginABI.major).\(PluginABI.minor): newer host calls are absent (check OL2TP_HOST_HAS)"
                )
            )
        }

        let context = PluginContext(name: name, shared: shared)
        let token = handleRegistry.withLock { table -> UInt in
            let token = table.makeToken()
            table.plugins[token] = context
            return token
        }
        var argumentBytes = Array(arguments.utf8CString)
        let status = argumentBytes.withUnsafeMutableBufferPointer { buffer in
            initialize(api, OpaquePointer(token: token), buffer.baseAddress, UInt32(buffer.count - 1))
        }
        let registered = handleRegistry.withLock { _ -> [PendingRegistration] in
            context.acceptsRegistrations = false
            return context.registrations
        }
        guard status == 0 else {
            for registration in registered.reversed() { registration.destroy?(registration.userData) }
            handleRegistry.withLock { $0.plugins[token] = nil }
            throw .initFailed(path: path, name: name, status: status)
        }
        contextTokens.append(token)
        registrations += registered.map {
            HookRegistration(
                pluginName: name, contextToken: token, abiMinor: descriptor.abi_minor, hooks: $0.hooks,
                userData: $0.userData, destroy: $0.destroy)
        }
        plugins.append(
            LoadedPlugin(
                name: name, version: version, path: path, arguments: arguments,
                abiMajor: descriptor.abi_major, abiMinor: descriptor.abi_minor))
        shared.log(
            PluginLogMessage(
                plugin: name, level: .info,
                message: "loaded \(path) version \(version), ABI \(descriptor.abi_major).\(descriptor.abi_minor)"))
    }

    /// Copies min(size, sizeof) of the plugin's descriptor into a zeroed one.
    private static func readDescriptor(
        _ pointer: UnsafePointer<ol2tp_plugin_descriptor_t>?, path: String
    ) throws(PluginLoadError) -> ol2tp_plugin_descriptor_t {
        guard let pointer else { throw .invalidDescriptor(path: path, problem: "the entry function returned NULL") }
        let raw = UnsafeRawPointer(pointer)
        let magic = raw.loadUnaligned(as: UInt32.self)
        guard magic == PluginABI.magic else {
            throw .invalidDescriptor(
                path: path, problem: "magic is 0x\(String(magic, radix: 16)), expected OL2TP_PLUGIN_MAGIC")
        }
        let size = Int(raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        guard size >= PluginABI.minimumDescriptorSize else {
            throw .invalidDescriptor(
                path: path,
                problem: "size \(size) is smaller than the ABI 1.0 descriptor (\(PluginABI.minimumDescriptorSize))")
        }
        var descriptor = ol2tp_plugin_descriptor_t()
        withUnsafeMutableBytes(of: &descriptor) { destination in
            destination.baseAddress!.copyMemory(from: raw, byteCount: min(size, destination.count))
        }
        return descriptor
    }

    /// The descriptor's `name` or `version`: `length` (the plugin's
    /// `name_len` / `version_len`) bytes of UTF-8 without a NUL, at most
    /// `PluginABI.maximumNameLength`. The length is only the plugin's word:
    /// it is bounded before anything is read, and the bytes are read up to
    /// the first NUL (`strnlen`), so a length longer than the string never
    /// makes the host read past it.
    private static func descriptorText(
        _ pointer: UnsafePointer<CChar>?, length: UInt32, field: String, path: String
    ) throws(PluginLoadError) -> String {
        guard length > 0 else { return "" }
        let lengthField = "\(field)_len"
        guard length <= PluginABI.maximumNameLength else {
            throw .invalidDescriptor(
                path: path,
                problem: "\(lengthField) is \(length), more than the \(PluginABI.maximumNameLength) bytes "
                    + "a \(field) may have")
        }
        guard let pointer else {
            throw .invalidDescriptor(path: path, problem: "\(field) is NULL but \(lengthField) is \(length)")
        }
        let count = strnlen(pointer, Int(length))
        guard count == Int(length) else {
            throw .invalidDescriptor(
                path: path, problem: "\(lengthField) is \(length) but the \(field) ends with a NUL after \(count) bytes"
            )
        }
        guard let text = String(validating: UnsafeRawBufferPointer(start: pointer, count: count), as: UTF8.self)
        else {
            throw .invalidDescriptor(path: path, problem: "the \(field) (\(lengthField) \(length)) is not valid UTF-8")
        }
        return text
    }

    private static func lastDLError() -> String {
        dlerror().map { String(cString: $0) } ?? "unknown dynamic loader error"
    }

    // MARK: - Unloading

    /// Finishes every live tunnel, session and socket (so plugins release
    /// what they hold, e.g. IPsec policies), then calls the destructors in
    /// reverse registration order. Libraries stay mapped. Idempotent.
    public func unloadAll() {
        guard !registrations.isEmpty || !contextTokens.isEmpty else { return }
        dispatching { finishEverything() }
        for registration in registrations.reversed() { registration.destroy?(registration.userData) }
        registrations = []
        let tokens = contextTokens
        handleRegistry.withLock { table in for token in tokens { table.plugins[token] = nil } }
        contextTokens = []
        plugins = []
    }

    // MARK: - Dispatch plumbing

    /// Runs an event; plugin actions asked for during it go to the daemon
    /// after it returns, so the daemon never re-enters the host mid-event.
    func dispatching<Result>(_ body: () -> Result) -> Result {
        if dispatchDepth == 0 { shared.beginDispatch() }
        dispatchDepth += 1
        let result = body()
        dispatchDepth -= 1
        if dispatchDepth == 0 {
            let ended = shared.endDispatch()
            for action in ended.actions { shared.act(action) }
            if ended.drain { shared.requestDrain() }
        }
        return result
    }

    /// Makes `snapshot` reachable through a handle for the duration of `body`.
    func withHandle<Result>(_ snapshot: Snapshot, _ body: (OpaquePointer) -> Result) -> Result {
        let token = handleRegistry.withLock { table -> UInt in
            let token = table.makeToken()
            table.snapshots[token] = snapshot
            return token
        }
        defer { _ = handleRegistry.withLock { $0.snapshots.removeValue(forKey: token) } }
        return body(OpaquePointer(token: token))
    }

    /// Gives `body` a reply handle and returns what the plugin wrote into it.
    /// With `deferral`, the hook may take a request id (`reply_defer`).
    func withReply(
        acceptsAddresses: Bool, deferral: ReplyBox.Deferral? = nil, _ body: (OpaquePointer) -> Int32
    ) -> (status: Int32, reply: ReplyBox) {
        let box = ReplyBox(acceptsAddresses: acceptsAddresses, deferral: deferral)
        let token = handleRegistry.withLock { table -> UInt in
            let token = table.makeToken()
            table.replies[token] = box
            return token
        }
        defer { _ = handleRegistry.withLock { $0.replies.removeValue(forKey: token) } }
        let status = body(OpaquePointer(token: token))
        return (status, box)
    }

    func warn(_ message: String) {
        shared.log(PluginLogMessage(plugin: nil, level: .warning, message: message))
    }
}
