import Testing
@testable import L2TPDataPath

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct DataPlaneErrorTests {
    @Test func kernelErrorNamesOperationAndErrno() {
        let error = DataPlaneError.kernel("TUNNEL_CREATE tunnel 5", errno: EBUSY)
        #expect(error.errno == EBUSY)
        #expect(error.operation == "TUNNEL_CREATE tunnel 5")
        #expect(error.description.hasPrefix("kernel rejected TUNNEL_CREATE tunnel 5: EBUSY ("))
    }

    @Test func unknownErrnoIsStillShown() {
        #expect(DataPlaneError.kernel("X", errno: 4242).description.contains("errno 4242"))
    }

    @Test func nonKernelErrorsHaveNoErrno() {
        #expect(DataPlaneError.unknownTunnel(3).errno == nil)
        #expect(DataPlaneError.unknownTunnel(3).description == "no datapath tunnel with local tunnel id 3")
        #expect(
            DataPlaneError.invalidArgument("udpSocket", "-1 is not a file descriptor").description
                == "invalid udpSocket: -1 is not a file descriptor")
    }
}
