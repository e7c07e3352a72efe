import ETLModel
import Foundation

/// Everything one run needs to know about one environment, with secrets read from the process
/// environment. Printing it (or any part of it) never shows a secret.
public struct ResolvedEnvironment: Sendable, Equatable {
    /// The `--env` name, e.g. `staging`.
    public let name: String
    /// The instance-matrix file it came from, as given on the command line.
    public let configPath: String
    public let odoo: OdooSettings
    public let warehouse: WarehouseSettings
    /// Nil when the environment has no `superset:` block (health then reports its checks as skipped).
    public let superset: SupersetSettings?
    public let etl: ETLSettings

    public init(
        name: String, configPath: String, odoo: OdooSettings, warehouse: WarehouseSettings,
        superset: SupersetSettings?, etl: ETLSettings
    ) {
        self.name = name
        self.configPath = configPath
        self.odoo = odoo
        self.warehouse = warehouse
        self.superset = superset
        self.etl = etl
    }
}

public struct OdooSettings: Sendable, Equatable {
    public let url: URL
    public let database: String
    /// `odoo.version` as written (informational: pipelines decide from `fields_get`, not from this).
    public let version: String?
    public let login: VariableValue<String>
    /// Password or API key.
    public let password: VariableValue<Secret>
    /// Read-only PostgreSQL URL of Odoo's own database (`odoo.db_url_env`), for the SQL extractor.
    public let sqlSourceURL: VariableValue<Secret>

    public init(
        url: URL, database: String, version: String?, login: VariableValue<String>,
        password: VariableValue<Secret>, sqlSourceURL: VariableValue<Secret>
    ) {
        self.url = url
        self.database = database
        self.version = version
        self.login = login
        self.password = password
        self.sqlSourceURL = sqlSourceURL
    }
}

public struct WarehouseSettings: Sendable, Equatable {
    /// The Supabase project URL (`supabase.url`), informational.
    public let apiURL: URL?
    public let version: String?
    /// libpq connection string or URL of the warehouse (`supabase.db_url_env`).
    public let databaseURL: VariableValue<Secret>

    public init(apiURL: URL?, version: String?, databaseURL: VariableValue<Secret>) {
        self.apiURL = apiURL
        self.version = version
        self.databaseURL = databaseURL
    }
}

public struct SupersetSettings: Sendable, Equatable {
    public let url: URL
    public let version: String?
    /// Superset's metadata database (`superset.metadata_db_url_env`), for the health check.
    public let metadataDatabaseURL: VariableValue<Secret>
}

/// A setting that comes from an environment variable named in the file.
public enum VariableValue<Value: Sendable & Equatable>: Sendable, Equatable {
    /// The variable is set (and not empty).
    case set(Value, variable: String)
    /// The file names a variable that is unset or empty in this process.
    case missing(variable: String, keyPath: String)
    /// The (optional) key is absent from the file.
    case notConfigured(keyPath: String)

    public var value: Value? {
        if case .set(let value, _) = self { return value }
        return nil
    }

    /// The variable's name, when the file names one.
    public var variable: String? {
        switch self {
        case .set(_, let variable), .missing(let variable, _): return variable
        case .notConfigured: return nil
        }
    }

    /// The value, or a `ConfigurationError` (exit 64) that names the variable to set or the key to add.
    public func require() throws -> Value {
        switch self {
        case .set(let value, _):
            return value
        case .missing(let variable, let keyPath):
            throw ConfigurationError(
                configPath: "the instance matrix (--config)", environment: nil,
                problems: [
                    ConfigurationProblem(
                        kind: .missingVariable(name: variable), keyPath: keyPath,
                        message: "the environment variable \(variable) is not set")
                ])
        case .notConfigured(let keyPath):
            throw ConfigurationError(
                configPath: "the instance matrix (--config)", environment: nil,
                problems: [
                    ConfigurationProblem(
                        kind: .file, keyPath: keyPath,
                        message: "is not configured; add it to name the variable that holds this value")
                ])
        }
    }
}

/// Which secrets a command cannot start without; the others resolve to `.missing` quietly.
public struct CredentialNeeds: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// `odoo.login_env` and `odoo.password_env`.
    public static let odoo = CredentialNeeds(rawValue: 1)
    /// `supabase.db_url_env`.
    public static let warehouse = CredentialNeeds(rawValue: 2)
    /// `odoo.db_url_env`, whatever `etl.extractor` says (`--source sql`).
    public static let sqlSource = CredentialNeeds(rawValue: 4)
    /// `odoo.db_url_env` when the environment's `etl.extractor` is `sql`.
    public static let configuredSQLSource = CredentialNeeds(rawValue: 8)
    public static let all: CredentialNeeds = [.odoo, .warehouse]
    /// What `sync` and `backfill` read and write with: `source` is `--source`, nil when not given.
    public static func extraction(source: ExtractionSource?) -> CredentialNeeds {
        switch source {
        case .sql?: return [.all, .sqlSource]
        case .xmlrpc?: return .all
        case nil: return [.all, .configuredSQLSource]
        }
    }
    /// Nothing: `health` reports each missing variable as a failed check instead.
    public static let none: CredentialNeeds = []
}
