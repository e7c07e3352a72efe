import ArgumentParser
import ETLModel

struct BackfillCommand: EngineCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "Extract one company again, optionally for a date range.",
        discussion: """
            Touches only that company's rows, resumes where it stopped if interrupted, and never \
            moves the company's incremental checkpoint backwards. An unknown or ambiguous company \
            name lists the candidates. --since and --until select records by when they last \
            changed in Odoo (write_date, UTC days), not by document date: a 2024 invoice paid in \
            2025 last changed in 2025.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Option(help: SharedHelp.env)
    var env: String

    @Option(help: ArgumentHelp("The company, by id or exact name.", valueName: "id|name"))
    var company: String

    @Option(name: .customLong("pipeline"), help: SharedHelp.pipeline)
    var pipelines: [String] = []

    @Option(help: ArgumentHelp("First day of last change (write_date, UTC) included, YYYY-MM-DD.", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp("Last day of last change (write_date, UTC) included, YYYY-MM-DD.", valueName: "date"))
    var until: String?

    @Option(help: SharedHelp.source)
    var source: ExtractionSource?

    func run(with actions: any ETLActions) async throws {
        var validation = OptionValidation(command: "backfill")
        let company = validation.company(company)
        let since = validation.date(since, option: "--since")
        let until = validation.date(until, option: "--until")
        validation.dateRange(since: since, until: until)
        try validation.finish()
        guard let company else { throw CLIError.invalidOptions(command: "backfill", problems: validation.problems) }
        let catalog = try PipelineFileNames(directory: global.pipelinesDirectory)
        let requested = try catalog.requested(pipelines, command: "backfill")
        let environment = try global.resolve(environment: env, requiring: .extraction(source: source), pipelines: catalog)
        let request = BackfillRequest(
            environment: environment, company: company,
            pipelines: catalog.selection(requested: requested, enabled: environment.etl.enabledPipelines),
            since: since, until: until, jobs: environment.etl.jobs, source: source ?? environment.etl.extractor)
        try finish(await actions.backfill(request, context: global.context(command: "backfill")))
    }
}
