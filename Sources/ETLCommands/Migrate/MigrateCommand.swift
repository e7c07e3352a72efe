import ArgumentParser

struct MigrateCommand: EngineCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the warehouse migrations that are not applied yet.",
        discussion: "Needs only the warehouse database URL (supabase.db_url_env).")

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Option(help: SharedHelp.env)
    var env: String

    @Flag(help: "Change nothing: list pending migrations and exit 1 if there are any.")
    var check = false

    func run(with actions: any ETLActions) async throws {
        let environment = try global.resolve(environment: env, requiring: .warehouse)
        let request = MigrateRequest(environment: environment, checkOnly: check)
        try finish(await actions.migrate(request, context: global.context(command: "migrate")))
    }
}
