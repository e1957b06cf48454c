import ArgumentParser
struct Main: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ippoold")
    func run() throws { print("ippoold") }
}
Main.main()
