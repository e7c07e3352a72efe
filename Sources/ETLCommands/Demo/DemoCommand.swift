import ArgumentParser

struct DemoCommand: EngineCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a real sync against a throwaway PostgreSQL and the bundled Odoo simulator.",
        discussion: """
            Needs no configuration: migrates, syncs everything, changes records in the simulator, \
            syncs again incrementally, verifies, and prints the summary and a sample query.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    func run(with actions: any ETLActions) async throws {
        let catalog = try PipelineFileNames(directory: global.pipelinesDirectory)
        let request = DemoRequest(pipelines: catalog.names)
        try finish(await actions.demo(request, context: global.context(command: "demo")))
    }
}
