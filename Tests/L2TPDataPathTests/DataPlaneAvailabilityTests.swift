import Testing
@testable import L2TPDataPath

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct DataPlaneAvailabilityTests {
    static let controlPlaneOnly = ": running the control plane only, data packets will not flow"

    /// The development and CI hosts have no L2TP in their kernel; where a kernel
    /// does have it, the data plane must open instead.
    @Test func probeMatchesWhatTheKernelOffers() throws {
        switch DataPlaneAvailability.probe() {
        case .unavailable(let reason):
            let message = DataPlaneAvailability.unavailable(reason: reason).operatorMessage
            #expect(message.hasSuffix(Self.controlPlaneOnly))
            #expect(reason.contains("l2tp") || reason.contains("PPPoL2TP") || reason.contains("CAP_NET_ADMIN"))
            #expect(!message.contains("\n"))
            #expect(throws: DataPlaneError.self) { _ = try KernelDataPlane() }
        case .available:
            _ = try KernelDataPlane()
        }
    }

    /// Runs where the kernel has no l2tp_netlink module loaded (the dev and CI hosts).
    @Test(.enabled(if: access("/sys/module/l2tp_netlink", F_OK) != 0, "kernel has l2tp_netlink loaded"))
    func hostWithoutL2TPGetsTheModprobeHint() throws {
        #expect(DataPlaneAvailability.probe() == .unavailable(reason: DataPlaneAvailability.noFamilyReason))
        #expect(
            DataPlaneAvailability.probe().operatorMessage
                == "kernel has no L2TP support (generic netlink family 'l2tp' not found; modprobe l2tp_ppp l2tp_netlink)"
                + Self.controlPlaneOnly)
        #expect(throws: DataPlaneError.unavailable(DataPlaneAvailability.noFamilyReason)) {
            _ = try KernelDataPlane()
        }
    }

    @Test func unavailableMeansControlPlaneOnly() throws {
        let plane = try DataPlaneAvailability.unavailable(reason: "test").makeDataPlane()
        #expect(plane is NullDataPlane)
    }

    @Test func reasonsNameTheCause() {
        #expect(DataPlaneAvailability.familyReason(errno: ENOENT) == DataPlaneAvailability.noFamilyReason)
        #expect(DataPlaneAvailability.familyReason(errno: EPERM).contains("CAP_NET_ADMIN"))
        #expect(DataPlaneAvailability.socketReason(errno: EAFNOSUPPORT).contains("modprobe l2tp_ppp"))
        #expect(DataPlaneAvailability.available.operatorMessage.contains("available"))
    }
}
