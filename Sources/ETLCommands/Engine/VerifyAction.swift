/// `verify`: being built; until then the command says so plainly.
struct VerifyAction {
    let request: VerifyRequest
    let context: CommandContext

    func run() async throws -> ExitStatus {
        throw CLIError.engineNotWired(command: "verify")
    }
}
