import ArgumentParser

struct CheckCommand: EngineCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check every enabled pipeline's fields against Odoo's fields_get.",
        discussion: "Shows what would break after an Odoo upgrade, by model and field. Exit 1 if anything would.")

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Option(help: SharedHelp.env)
    var env: String

    func run(with actions: any ETLActions) async throws {
        let catalog = try PipelineFileNames(directory: global.pipelinesDirectory)
        let environment = try global.resolve(environment: env, requiring: .odoo, pipelines: catalog)
        let request = CheckRequest(
            environment: environment,
            pipelines: catalog.selection(requested: [], enabled: environment.etl.enabledPipelines))
        try finish(await actions.check(request, context: global.context(command: "check")))
    }
}
