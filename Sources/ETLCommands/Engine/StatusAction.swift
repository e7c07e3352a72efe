/// `status`: being built; until then the command says so plainly.
struct StatusAction {
    let request: StatusRequest
    let context: CommandContext

    func run() async throws -> ExitStatus {
        throw CLIError.engineNotWired(command: "status")
    }
}
