import ArgumentParser

/// What the commands ask of the engine: one method per command, each returning the exit status of
/// the run (or throwing; `UserFacingError`s are rendered with their own status, other errors exit 1).
/// Requests arrive validated: options parsed and range-checked, the environment resolved, pipeline
/// names known to exist in the pipelines directory.
public protocol ETLActions: Sendable {
    func sync(_ request: SyncRequest, context: CommandContext) async throws -> ExitStatus
    func backfill(_ request: BackfillRequest, context: CommandContext) async throws -> ExitStatus
    func migrate(_ request: MigrateRequest, context: CommandContext) async throws -> ExitStatus
    func health(_ request: HealthRequest, context: CommandContext) async throws -> ExitStatus
    func status(_ request: StatusRequest, context: CommandContext) async throws -> ExitStatus
    func verify(_ request: VerifyRequest, context: CommandContext) async throws -> ExitStatus
    func check(_ request: CheckRequest, context: CommandContext) async throws -> ExitStatus
    func demo(_ request: DemoRequest, context: CommandContext) async throws -> ExitStatus
}

/// A command that hands its validated request to the engine. `ETLCommand.run` passes the actions
/// in, so a test of the command layer can pass its own.
protocol EngineCommand: AsyncParsableCommand {
    func run(with actions: any ETLActions) async throws
}

extension EngineCommand {
    /// Only reached when ArgumentParser runs the command itself; `ETLCommand.run` calls `run(with:)`.
    mutating func run() async throws {
        try await run(with: EngineActions())
    }
}
