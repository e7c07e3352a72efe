import ArgumentParser

struct HealthCommand: EngineCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Check that every service of an environment answers.",
        discussion: """
            Odoo /web/login and XML-RPC version and login; the warehouse (SELECT 1, migrations \
            current); Superset /health and its metadata database. Each check passes, fails or is \
            skipped with the reason; an unset variable fails its check by name. Exit 1 if any failed.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Option(help: SharedHelp.env)
    var env: String

    @Flag(help: "Print the results as one JSON document on stdout.")
    var json = false

    func run(with actions: any ETLActions) async throws {
        let environment = try global.resolve(environment: env, requiring: .none)
        let request = HealthRequest(environment: environment, json: json)
        try finish(await actions.health(request, context: global.context(command: "health")))
    }
}
