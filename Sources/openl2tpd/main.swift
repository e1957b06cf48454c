import ArgumentParser
struct Main: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "openl2tpd")
    func run() throws { print("openl2tpd") }
}
Main.main()
