import L2TPConfigCLI
import L2TPManagement

#if canImport(Glibc)
    import Glibc
#endif

// l2tpconfig: the management CLI of openl2tpd. See docs/l2tpconfig.md.
StandardDescriptors.openMissing()
signal(SIGPIPE, SIG_IGN)
var environment: [String: String] = [:]
var entry = environ
while let pointer = entry.pointee {
    let pair = String(cString: pointer)
    if let equals = pair.firstIndex(of: "=") {
        environment[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
    }
    entry += 1
}
let status = L2TPConfigProgram.run(arguments: Array(CommandLine.arguments.dropFirst()), environment: environment)
exit(status.rawValue)
