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

/// The one place the commands find the engine.
public enum ETLActionsRegistry {
    /// The real engine; replaceable only before any command runs (tests of the command layer),
    /// and read only after that, so the unguarded static is safe.
    nonisolated(unsafe) public static var current: any ETLActions = EngineActions()
}
