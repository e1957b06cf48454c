// l2tp-datapath-check: checks KernelDataPlane against a real kernel. Runs inside
// scripts/kernel-vm (Tests/vm/datapath.sh sets up the namespaces and calls it).
//
//   l2tp-datapath-check probe
//   l2tp-datapath-check scenario [--ppp]
//   l2tp-datapath-check make-orphan NETNS PORT TUNNEL_ID [--leak]
//   l2tp-datapath-check clean-orphans NETNS PORT [KEEP_ID...]
import L2TPDataPath

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

let args = Array(CommandLine.arguments.dropFirst())
do {
    switch args.first {
    case "probe":
        let availability = DataPlaneAvailability.probe()
        print(availability.operatorMessage)
        exit(availability.isAvailable ? 0 : 2)
    case "scenario":
        try runDatapathScenario(withPPP: args.contains("--ppp"))
    case "make-orphan" where args.count >= 4:
        try makeOrphan(
            netns: args[1], port: UInt16(args[2])!, tunnelID: UInt16(args[3])!,
            leak: args.contains("--leak"))
    case "clean-orphans" where args.count >= 3:
        try cleanOrphans(
            netns: args[1], port: UInt16(args[2])!,
            keep: Set(args.dropFirst(3).compactMap { UInt32($0) }))
    default:
        print(
            "usage: l2tp-datapath-check probe | scenario [--ppp] | make-orphan NETNS PORT ID [--leak] | clean-orphans NETNS PORT [KEEP...]"
        )
        exit(64)
    }
} catch {
    print("check: FAIL: \(error)")
    exit(1)
}
