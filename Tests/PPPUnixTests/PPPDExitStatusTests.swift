import Testing

@testable import ppp_unix

@Suite struct PPPDExitStatusTests {
    @Test func waitStatusesDecode() {
        #expect(PPPDExitStatus(waitStatus: 11 << 8) == .exited(11))
        #expect(PPPDExitStatus(waitStatus: 9) == .signaled(9))
        #expect(PPPDExitStatus(waitStatus: 0) == .exited(0))
    }

    @Test func everyDocumentedExitCodeHasAMeaning() {
        for code in Int32(0)...19 { #expect(PPPDExitStatus.meanings[code] != nil, "exit code \(code)") }
        #expect("\(PPPDExitStatus.exited(11))" == "pppd exited with status 11: the peer failed to authenticate")
        #expect("\(PPPDExitStatus.exited(42))" == "pppd exited with status 42")
        #expect("\(PPPDExitStatus.signaled(9))" == "pppd was killed by signal 9")
    }
}
