import Foundation
import Yams

/// One `environments.<name>` block as written in the file. Fields are nil where the key is absent
/// or was wrong (the reader has already reported it).
struct EnvironmentDefinition {
    struct Odoo {
        var url: URL?
        var version: String?
        var database: String?
        var loginVariable: String?
        var passwordVariable: String?
        var sqlSourceVariable: String?
    }

    struct Supabase {
        var url: URL?
        var version: String?
        var databaseURLVariable: String?
    }

    struct Superset {
        var url: URL?
        var version: String?
        var metadataDatabaseURLVariable: String?
    }

    let name: String
    var odoo: Odoo?
    var supabase: Supabase?
    var superset: Superset?
    var etl = ETLSettingsLayer()

    static let sections = ["odoo", "supabase", "superset", "etl"]

    static func read(name: String, node: Node, reader: YAMLReader) -> EnvironmentDefinition {
        let path = YAMLKeyPath().appending("environments").appending(name)
        var definition = EnvironmentDefinition(name: name)
        guard
            let block = reader.mapping(
                node, at: path, keys: sections,
                required: [
                    "odoo": "the Odoo instance to read (url, database, login_env, password_env)",
                    "supabase": "the warehouse database (db_url_env)",
                ])
        else { return definition }
        if let node = block["odoo"] { definition.odoo = readOdoo(node, at: path.appending("odoo"), reader: reader) }
        if let node = block["supabase"] {
            definition.supabase = readSupabase(node, at: path.appending("supabase"), reader: reader)
        }
        if let node = block["superset"] {
            definition.superset = readSuperset(node, at: path.appending("superset"), reader: reader)
        }
        definition.etl = ETLSettingsLayer.read(block["etl"], at: path.appending("etl"), reader: reader)
        return definition
    }

    private static func readOdoo(_ node: Node, at path: YAMLKeyPath, reader: YAMLReader) -> Odoo? {
        guard
            let block = reader.mapping(
                node, at: path, keys: ["url", "version", "database", "login_env", "password_env", "db_url_env"],
                required: [
                    "url": "the Odoo base URL, e.g. https://erp.example.com",
                    "database": "the Odoo database name",
                    "login_env": "the variable holding the Odoo login",
                    "password_env": "the variable holding the Odoo password or API key",
                ])
        else { return nil }
        return Odoo(
            url: reader.url(block["url"], at: path.appending("url")),
            version: reader.string(block["version"], at: path.appending("version")),
            database: reader.string(block["database"], at: path.appending("database")),
            loginVariable: reader.variableName(block["login_env"], at: path.appending("login_env")),
            passwordVariable: reader.variableName(block["password_env"], at: path.appending("password_env")),
            sqlSourceVariable: reader.variableName(block["db_url_env"], at: path.appending("db_url_env")))
    }

    private static func readSupabase(_ node: Node, at path: YAMLKeyPath, reader: YAMLReader) -> Supabase? {
        guard
            let block = reader.mapping(
                node, at: path, keys: ["url", "version", "db_url_env"],
                required: [
                    "db_url_env": "the variable holding the warehouse PostgreSQL URL (session pooler or direct, port 5432)"
                ])
        else { return nil }
        return Supabase(
            url: reader.url(block["url"], at: path.appending("url")),
            version: reader.string(block["version"], at: path.appending("version")),
            databaseURLVariable: reader.variableName(block["db_url_env"], at: path.appending("db_url_env")))
    }

    private static func readSuperset(_ node: Node, at path: YAMLKeyPath, reader: YAMLReader) -> Superset? {
        guard
            let block = reader.mapping(
                node, at: path, keys: ["url", "version", "metadata_db_url_env"],
                required: [
                    "url": "the Superset base URL, e.g. https://bi.example.com"
                ])
        else { return nil }
        return Superset(
            url: reader.url(block["url"], at: path.appending("url")),
            version: reader.string(block["version"], at: path.appending("version")),
            metadataDatabaseURLVariable: reader.variableName(
                block["metadata_db_url_env"],
                at: path.appending("metadata_db_url_env")))
    }
}
