/// `demo`: being built; until then the command says so plainly.
struct DemoAction {
    let request: DemoRequest
    let context: CommandContext

    func run() async throws -> ExitStatus {
        throw CLIError.engineNotWired(command: "demo")
    }
}
