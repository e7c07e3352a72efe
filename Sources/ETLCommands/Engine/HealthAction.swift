/// `health`: being built; until then the command says so plainly.
struct HealthAction {
    let request: HealthRequest
    let context: CommandContext

    func run() async throws -> ExitStatus {
        throw CLIError.engineNotWired(command: "health")
    }
}
