import ArgumentParser
struct Main: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ippoolconfig")
    func run() throws { print("ippoolconfig") }
}
Main.main()
