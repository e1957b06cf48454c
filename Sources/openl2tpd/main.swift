// openl2tpd: the L2TP daemon. All logic lives in L2TPDaemon (testable);
// this file only picks the production control engine.
import L2TPDaemon

#if canImport(Glibc)
    import Glibc
#endif

let status = DaemonMain.run(arguments: Array(CommandLine.arguments.dropFirst())) { _ in
    EndpointControlEngine()
}
exit(status)
