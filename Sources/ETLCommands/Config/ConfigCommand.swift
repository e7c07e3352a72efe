import ArgumentParser
import ETLModel
import Foundation
import InstanceConfig

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show an environment's resolved settings, secrets masked.",
        discussion: """
            Resolves the environment exactly as sync does and prints every setting with where it \
            came from. Exit 64 listing every problem (unknown keys, unset variables) if sync would \
            refuse to start.
            """)

    @OptionGroup(title: "Global options") var global: GlobalOptions

    @Option(help: SharedHelp.env)
    var env: String

    mutating func run() async throws {
        let catalog = try PipelineFileNames(directory: global.pipelinesDirectory)
        let environment = try global.resolve(environment: env, requiring: .extraction(source: nil), pipelines: catalog)
        let rows = SettingsTable.rows(
            environment,
            runPipelines: catalog.selection(
                requested: [], enabled: environment.etl.enabledPipelines))
        let width = rows.map(\.key.count).max() ?? 0
        let text = rows.map { $0.key.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.value }
            .joined(separator: "\n")
        print(Redactor.shared.redact(text))
    }
}

/// The resolved settings as `key value` rows, keys named after the YAML keys.
enum SettingsTable {
    static func rows(_ environment: ResolvedEnvironment, runPipelines: [String]) -> [(key: String, value: String)] {
        let etl = environment.etl
        var rows: [(key: String, value: String)] = [
            ("environment", environment.name),
            ("config", environment.configPath),
            ("odoo.url", environment.odoo.url.absoluteString),
            ("odoo.database", environment.odoo.database),
            ("odoo.version", environment.odoo.version ?? "not set"),
            ("odoo.login", shown(environment.odoo.login) { $0 }),
            ("odoo.password", shown(environment.odoo.password) { $0.description }),
            ("odoo.db_url", shown(environment.odoo.sqlSourceURL) { $0.description }),
            ("supabase.url", environment.warehouse.apiURL?.absoluteString ?? "not set"),
            ("supabase.version", environment.warehouse.version ?? "not set"),
            ("supabase.db_url", shown(environment.warehouse.databaseURL) { $0.description }),
        ]
        if let superset = environment.superset {
            rows += [
                ("superset.url", superset.url.absoluteString),
                ("superset.version", superset.version ?? "not set"),
                ("superset.metadata_db_url", shown(superset.metadataDatabaseURL) { $0.description }),
            ]
        } else {
            rows.append(("superset", "not configured"))
        }
        rows += [
            ("etl.pipelines.enabled", etl.enabledPipelines?.joined(separator: ", ") ?? "not set: every pipeline"),
            ("pipelines run by sync", runPipelines.joined(separator: ", ")),
            ("etl.batch_size", String(etl.batchSize)),
            ("etl.lookback_seconds", String(etl.lookbackSeconds)),
            ("etl.jobs", String(etl.jobs)),
            ("etl.extractor", etl.extractor.rawValue),
            ("etl.retries.attempts", String(etl.retries.maxAttempts)),
            ("etl.retries.initial_backoff_seconds", JSONText.number(etl.retries.initialBackoff)),
            ("etl.retries.max_backoff_seconds", JSONText.number(etl.retries.maxBackoff)),
            ("etl.timeouts.connect_seconds", JSONText.number(etl.timeouts.connectSeconds)),
            ("etl.timeouts.request_seconds", JSONText.number(etl.timeouts.requestSeconds)),
            ("etl.timeouts.statement_seconds", JSONText.number(etl.timeouts.statementSeconds)),
        ]
        return rows
    }

    private static func shown<Value>(_ setting: VariableValue<Value>, _ render: (Value) -> String) -> String {
        switch setting {
        case .set(let value, let variable): return "\(render(value))  (from \(variable))"
        case .missing(let variable, _): return "missing: \(variable) is not set"
        case .notConfigured: return "not configured"
        }
    }
}
