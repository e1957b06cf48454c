import ArgumentParser
struct Main: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "l2tpconfig")
    func run() throws { print("l2tpconfig") }
}
Main.main()
