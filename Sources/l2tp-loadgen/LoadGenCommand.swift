import ArgumentParser

/// l2tp-loadgen: load and attack traffic for openl2tpd's admission tests,
/// built on the project's own wire codec and reliable transport.
@main
struct LoadGenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "l2tp-loadgen",
        abstract: "L2TPv2 load and attack generator (tests only: loopback or test namespaces).",
        subcommands: [SessionsCommand.self, SCCRQFloodCommand.self])
}
