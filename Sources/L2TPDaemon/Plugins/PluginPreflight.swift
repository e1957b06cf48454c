import L2TPPluginHost

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The check that can run before openl2tpd forks into the background: does
/// every `-p` plugin's file exist? (Loading it runs its init, which may start
/// threads, so that waits until after the fork.)
public enum PluginPreflight {
    /// The first `-p` argument whose file is missing, as the operator-facing
    /// message, or nil when all exist.
    public static func missing(_ arguments: [String], directory: String?) -> String? {
        let directory =
            directory ?? getenv(PluginHost.pluginDirectoryEnvironmentVariable).map { String(cString: $0) }
            ?? PluginHost.defaultPluginDirectory
        for argument in arguments {
            let name = PluginSpec(commandLineArgument: argument).nameOrPath
            let candidates = candidatePaths(
                name, directories: [directory, DaemonPlugins.executableDirectory()].compactMap { $0 })
            if !candidates.contains(where: { access($0, R_OK) == 0 }) {
                return
                    "plugin '\(argument)': not found (tried \(candidates.joined(separator: ", "))); openl2tpd not started (a plugin given with -p is required)"
            }
        }
        return nil
    }

    /// Where a `-p` name may live: a path as is; a bare name as `NAME.so`,
    /// `libNAME.so` and `NAME` in each directory (`NAME.so` as itself and
    /// `libNAME.so`).
    static func candidatePaths(_ name: String, directories: [String]) -> [String] {
        if name.contains("/") { return [name] }
        var paths: [String] = []
        for directory in directories {
            let base = directory.hasSuffix("/") ? directory : directory + "/"
            paths +=
                name.hasSuffix(".so")
                ? [base + name, base + "lib" + name]
                : [base + name + ".so", base + "lib" + name + ".so", base + name]
        }
        return paths
    }
}
