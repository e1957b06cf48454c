/// Why `PluginHost.load` refused a plugin. The message always names the file
/// and, where the dynamic loader was involved, carries its `dlerror()` text.
///
/// Equality compares the code only, so callers match on the kind of failure.
public struct PluginLoadError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure; new kinds may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Backing: Hashable, Sendable {
            case cannotOpen, missingEntrySymbol, invalidDescriptor, abiMismatch, initFailed
        }

        fileprivate var backing: Backing

        /// `dlopen` failed: no such file, not a shared object, unresolved symbol.
        public static let cannotOpen = Code(backing: .cannotOpen)
        /// The object does not export `openl2tp_plugin_entry_v1`.
        public static let missingEntrySymbol = Code(backing: .missingEntrySymbol)
        /// The entry returned NULL, a bad magic number or a too short descriptor.
        public static let invalidDescriptor = Code(backing: .invalidDescriptor)
        /// Built for another plugin ABI major version.
        public static let abiMismatch = Code(backing: .abiMismatch)
        /// The plugin's init returned an error.
        public static let initFailed = Code(backing: .initFailed)

        public var description: String { String(describing: backing) }
    }

    public let code: Code
    /// The file the host tried to load.
    public let path: String
    public let message: String

    public var description: String { message }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    // MARK: - Factories

    static func cannotOpen(path: String, dlerror: String) -> Self {
        Self(code: .cannotOpen, path: path, message: "cannot load plugin \(path): \(dlerror)")
    }

    static func missingEntrySymbol(path: String, dlerror: String) -> Self {
        Self(
            code: .missingEntrySymbol, path: path,
            message: "\(path) is not an openl2tp plugin: no entry symbol \(PluginABI.entrySymbol) (\(dlerror))"
        )
    }

    static func invalidDescriptor(path: String, problem: String) -> Self {
        Self(code: .invalidDescriptor, path: path, message: "plugin \(path): invalid descriptor: \(problem)")
    }

    static func abiMismatch(path: String, name: String, pluginMajor: UInt16, pluginMinor: UInt16) -> Self {
        Self(
            code: .abiMismatch, path: path,
            message: "plugin '\(name)' (\(path)) was built for plugin ABI \(pluginMajor).\(pluginMinor) "
                + "but this openl2tpd implements ABI \(PluginABI.major).\(PluginABI.minor): refused; "
                + "rebuild it against openl2tp_plugin.h \(PluginABI.major).x"
        )
    }

    static func initFailed(path: String, name: String, status: Int32) -> Self {
        let errnoText = status < 0 ? " (\(String(cString: strerror(-status))))" : ""
        return Self(
            code: .initFailed, path: path,
            message: "plugin '\(name)' (\(path)) refused to start: init returned \(status)\(errnoText)"
        )
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
