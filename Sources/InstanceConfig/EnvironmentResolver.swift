import ETLModel
import Foundation

/// Turns one environment's definition into a `ResolvedEnvironment`, reading the variables it names
/// and collecting every problem (unset variables, impossible settings) on the way.
struct EnvironmentResolver {
    let definition: EnvironmentDefinition
    let env: [String: String]
    let needs: CredentialNeeds
    let availablePipelines: [String]?
    let connectionPasswords: (String) -> [String]
    private(set) var problems: [ConfigurationProblem] = []

    init(
        definition: EnvironmentDefinition, env: [String: String], needs: CredentialNeeds, availablePipelines: [String]?,
        connectionPasswords: @escaping (String) -> [String]
    ) {
        self.definition = definition
        self.env = env
        self.needs = needs
        self.availablePipelines = availablePipelines
        self.connectionPasswords = connectionPasswords
    }

    private var path: YAMLKeyPath { YAMLKeyPath().appending("environments").appending(definition.name) }

    mutating func resolve(configPath: String, base: ETLSettings) -> ResolvedEnvironment? {
        let odooPath = path.appending("odoo")
        let supabasePath = path.appending("supabase")
        let odoo = definition.odoo
        let passwords = connectionPasswords
        let connectionString = { Secret.connectionString($0, passwords: passwords) }
        let login = lookup(odoo?.loginVariable, at: odooPath.appending("login_env"), required: needs.contains(.odoo)) { $0 }
        let password = lookup(
            odoo?.passwordVariable, at: odooPath.appending("password_env"),
            required: needs.contains(.odoo), Secret.init)
        let etl = definition.etl.applied(to: base)
        let sqlSourceRequired = needs.contains(.sqlSource) || (needs.contains(.configuredSQLSource) && etl.extractor == .sql)
        let sqlSource = lookup(
            odoo?.sqlSourceVariable, at: odooPath.appending("db_url_env"), required: sqlSourceRequired,
            connectionString)
        let databaseURL = lookup(
            definition.supabase?.databaseURLVariable, at: supabasePath.appending("db_url_env"),
            required: needs.contains(.warehouse), connectionString)
        if let url = databaseURL.value, let variable = databaseURL.variable {
            checkNotTransactionPooler(url, variable: variable, keyPath: supabasePath.appending("db_url_env"))
        }
        let superset = definition.superset.flatMap { superset -> SupersetSettings? in
            let metadata = lookup(
                superset.metadataDatabaseURLVariable,
                at: path.appending("superset").appending("metadata_db_url_env"), required: false,
                connectionString)
            return superset.url.map { SupersetSettings(url: $0, version: superset.version, metadataDatabaseURL: metadata) }
        }
        if etl.retries.maxBackoff < etl.retries.initialBackoff {
            let layerPath =
                definition.etl.maxBackoffSeconds != nil || definition.etl.initialBackoffSeconds != nil
                ? path.appending("etl") : YAMLKeyPath().appending("etl")
            problems.append(
                ConfigurationProblem(
                    kind: .file, keyPath: layerPath.appending("retries").appending("max_backoff_seconds").description,
                    message: "\(PlainNumber.text(etl.retries.maxBackoff)) is below initial_backoff_seconds "
                        + "(\(PlainNumber.text(etl.retries.initialBackoff))); the cap must be at least the first wait"))
        }
        checkEnabledPipelines(etl.enabledPipelines)
        guard let odoo, let url = odoo.url, let database = odoo.database, definition.supabase != nil else { return nil }
        return ResolvedEnvironment(
            name: definition.name, configPath: configPath,
            odoo: OdooSettings(
                url: url, database: database, version: odoo.version,
                login: login, password: password, sqlSourceURL: sqlSource),
            warehouse: WarehouseSettings(
                apiURL: definition.supabase?.url, version: definition.supabase?.version,
                databaseURL: databaseURL),
            superset: superset, etl: etl)
    }

    /// Each enabled pipeline must have its file, or a plain `sync` would fail halfway.
    private mutating func checkEnabledPipelines(_ enabled: [String]?) {
        guard let enabled, let available = availablePipelines else { return }
        let listPath = (definition.etl.enabledPipelines != nil ? path.appending("etl") : YAMLKeyPath().appending("etl"))
            .appending("pipelines").appending("enabled")
        for (position, name) in enabled.enumerated() where !available.contains(name) {
            problems.append(
                ConfigurationProblem(
                    kind: .file, keyPath: listPath.index(position).description,
                    message: "no pipeline named '\(name)'\(NameSuggestion.didYouMean(name, among: available))"
                        + " (the pipelines directory has: \(available.joined(separator: ", ")))"))
        }
    }

    /// Reads the variable a `*_env` key names. An unset or empty variable is a problem only when the
    /// command needs it.
    private mutating func lookup<Value>(
        _ variable: String?, at keyPath: YAMLKeyPath, required: Bool,
        _ wrap: (String) -> Value
    ) -> VariableValue<Value> {
        guard let variable else { return .notConfigured(keyPath: keyPath.description) }
        guard let raw = env[variable], !raw.isEmpty else {
            if required {
                let state = env[variable] == nil ? "is not set" : "is set but empty"
                problems.append(
                    ConfigurationProblem(
                        kind: .missingVariable(name: variable), keyPath: keyPath.description,
                        message: "the environment variable \(variable) \(state)"))
            }
            return .missing(variable: variable, keyPath: keyPath.description)
        }
        return .set(wrap(raw), variable: variable)
    }

    /// Supabase's transaction pooler (port 6543) breaks advisory locks, session settings and temp
    /// tables across transactions, all of which the loader relies on; say so before anything runs.
    private mutating func checkNotTransactionPooler(_ url: Secret, variable: String, keyPath: YAMLKeyPath) {
        let text = url.reveal().lowercased()
        let onPoolerHost = text.contains("pooler.supabase.com")
        let onTransactionPort = text.range(of: #"(:|port\s*=\s*)6543\b"#, options: .regularExpression) != nil
        guard onPoolerHost, onTransactionPort else { return }
        problems.append(
            ConfigurationProblem(
                kind: .file, keyPath: keyPath.description,
                message: "\(variable) points at Supabase's transaction pooler (port 6543), which breaks the loader's "
                    + "advisory locks, session settings and temp tables; use the session pooler (port 5432) or the direct connection"))
    }
}
