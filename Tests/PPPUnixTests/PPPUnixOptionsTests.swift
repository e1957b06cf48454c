import Testing

@testable import ppp_unix

@Suite struct PPPUnixOptionsTests {
    @Test func parsesEveryOption() throws {
        let options = try PPPUnixOptions(
            parsing: "pppd=/tmp/fake-pppd, y=4,kill_grace=0.5,establish_timeout=2,shutdown_grace=1.5")
        #expect(options.pppdPath == "/tmp/fake-pppd")
        #expect(options.maxStarting == 4)
        #expect(options.killGrace == .milliseconds(500))
        #expect(options.establishTimeout == .seconds(2))
        #expect(options.shutdownGrace == .milliseconds(1500))
        #expect(try PPPUnixOptions(parsing: "").shutdownGrace == .seconds(1))
        #expect(try PPPUnixOptions(parsing: "").stopNice == 19)
        #expect(try PPPUnixOptions(parsing: "stop_nice=0").stopNice == 0)
        #expect(try PPPUnixOptions(parsing: "max_starting=10").maxStarting == 10)
        #expect(try PPPUnixOptions(parsing: "") == PPPUnixOptions())
    }

    @Test func refusesBadOptionsNamingThem() {
        for (text, mention) in [
            ("pppd=relative/path", "pppd=relative/path"), ("y=-1", "y=-1"), ("kill_grace=soon", "kill_grace"),
            ("shutdown_grace=-1", "shutdown_grace"), ("stop_nice=20", "stop_nice=20"),
            ("colour=blue", "colour"), ("justaword", "justaword"),
        ] {
            #expect {
                _ = try PPPUnixOptions(parsing: text)
            } throws: { error in
                "\(error)".contains(mention)
            }
        }
    }
}
