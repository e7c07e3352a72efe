import ArgumentParser

struct VerifyCommand: EngineCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Compare row counts and amount sums between Odoo and the warehouse.",
        discussion: """
            Per enabled pipeline and company, month by month. Exit 1 on any difference, naming the \
            company, pipeline and month.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Option(help: SharedHelp.env)
    var env: String

    @Option(name: .customLong("company"), help: SharedHelp.company)
    var companies: [String] = []

    func run(with actions: any ETLActions) async throws {
        var validation = OptionValidation(command: "verify")
        let companies = validation.companies(companies)
        try validation.finish()
        let catalog = try PipelineFileNames(directory: global.pipelinesDirectory)
        let environment = try global.resolve(environment: env, requiring: .all, pipelines: catalog)
        let request = VerifyRequest(
            environment: environment,
            pipelines: catalog.selection(requested: [], enabled: environment.etl.enabledPipelines),
            companies: companies)
        try finish(await actions.verify(request, context: global.context(command: "verify")))
    }
}
