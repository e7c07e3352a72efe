import ArgumentParser
import ETLModel

struct SyncCommand: EngineCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Bring the warehouse up to date with Odoo.",
        discussion: """
            Incremental by default: every enabled pipeline for every company, in dependency order \
            (companies, partners, employees and taxes before facts), each unit from its checkpoint \
            minus etl.lookback_seconds. A unit another run is holding is skipped as busy.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Option(help: SharedHelp.env)
    var env: String

    @Option(name: .customLong("pipeline"), help: SharedHelp.pipeline)
    var pipelines: [String] = []

    @Option(name: .customLong("company"), help: SharedHelp.company)
    var companies: [String] = []

    @Flag(help: "Ignore checkpoints and read everything again (rows end up the same).")
    var full = false

    @Flag(help: "Also compare id sets with Odoo to catch deleted records.")
    var reconcile = false

    @Flag(
        name: .customLong("allow-empty-reconcile"),
        help: """
            With --reconcile, also soft-delete every row of a company for which Odoo now lists no \
            records (refused without it: that is more often lost access than real deletion).
            """)
    var allowEmptyReconcile = false

    @Flag(name: .customLong("dry-run"), help: "Extract and transform but write nothing; print what would change.")
    var dryRun = false

    @Option(
        help: ArgumentHelp(
            "Units run in parallel, 1 to 32, each with its own connections (default: etl.jobs).",
            valueName: "n"))
    var jobs: Int?

    @Option(help: SharedHelp.source)
    var source: ExtractionSource?

    func run(with actions: any ETLActions) async throws {
        var validation = OptionValidation(command: "sync")
        let companies = validation.companies(companies)
        let jobs = validation.jobs(jobs)
        validation.requires("--allow-empty-reconcile", given: allowEmptyReconcile, "--reconcile", present: reconcile)
        try validation.finish()
        let catalog = try PipelineFileNames(directory: global.pipelinesDirectory)
        let requested = try catalog.requested(pipelines, command: "sync")
        let environment = try global.resolve(environment: env, requiring: .extraction(source: source), pipelines: catalog)
        let request = SyncRequest(
            environment: environment,
            pipelines: catalog.selection(requested: requested, enabled: environment.etl.enabledPipelines),
            companies: companies, full: full, reconcile: reconcile, allowEmptyReconcile: allowEmptyReconcile, dryRun: dryRun,
            jobs: jobs ?? environment.etl.jobs, source: source ?? environment.etl.extractor)
        try finish(await actions.sync(request, context: global.context(command: "sync")))
    }
}
