import ArgumentParser

struct StatusCommand: EngineCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each pipeline and company: checkpoint, lag, last run, rows, last error.",
        discussion: "Reads only the warehouse (supabase.db_url_env).")

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Option(help: SharedHelp.env)
    var env: String

    @Flag(help: "Print one JSON document on stdout instead of a table.")
    var json = false

    func run(with actions: any ETLActions) async throws {
        let environment = try global.resolve(environment: env, requiring: .warehouse)
        let request = StatusRequest(environment: environment, json: json)
        try finish(await actions.status(request, context: global.context(command: "status")))
    }
}
