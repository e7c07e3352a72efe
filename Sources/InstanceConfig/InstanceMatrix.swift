import ETLModel
import Foundation
import Yams

/// `config/instance-matrix.yaml`: the environments (Odoo, Supabase warehouse, Superset) and the `etl:`
/// settings. Secrets are never in the file; `*_env` keys name the environment variables holding them.
public struct InstanceMatrix: Sendable {
    /// The path as given (relative paths stay relative, so messages match what the user typed).
    public let path: String
    /// Environment names in file order.
    public let environmentNames: [String]
    /// The top-level `etl:` block layered over the defaults (environments may override it).
    public let etl: ETLSettings

    let environments: [String: EnvironmentDefinition]
    /// Problems found while reading; `load` refuses a file with any, `loadAndResolve` reports them
    /// together with the environment's own problems.
    let readProblems: [ConfigurationProblem]

    static let topLevelKeys = ["environments", "etl"]

    /// Reads and checks the whole file. Throws a `ConfigurationError` listing every problem in it.
    public static func load(path: String) throws -> InstanceMatrix {
        let matrix = try read(path: path)
        guard matrix.readProblems.isEmpty else {
            throw ConfigurationError(configPath: path, environment: nil, problems: matrix.readProblems)
        }
        return matrix
    }

    /// Reads the file and resolves one environment, reporting problems in the file, an unknown
    /// environment and unset variables all in one `ConfigurationError`.
    public static func loadAndResolve(
        path: String, environment: String, env: [String: String],
        requiring needs: CredentialNeeds = .all,
        availablePipelines: [String]? = nil,
        connectionPasswords: @escaping (String) -> [String]
    ) throws -> ResolvedEnvironment {
        try read(path: path).resolve(
            environment: environment, env: env, requiring: needs,
            availablePipelines: availablePipelines, connectionPasswords: connectionPasswords)
    }

    /// Resolves one environment against the process environment `env`.
    /// - Parameters:
    ///   - needs: the secrets the command cannot start without; each one unset is a problem. Others
    ///     that are unset resolve to `.missing`, for the command to report in its own way.
    ///   - availablePipelines: when given, every name in `etl.pipelines.enabled` must be one of them.
    ///   - connectionPasswords: the passwords inside a database URL or libpq keyword string, each
    ///     masked on its own wherever it appears (this module does not parse connection strings).
    public func resolve(
        environment name: String, env: [String: String],
        requiring needs: CredentialNeeds = .all,
        availablePipelines: [String]? = nil,
        connectionPasswords: @escaping (String) -> [String]
    ) throws -> ResolvedEnvironment {
        var problems = readProblems
        guard let definition = environments[name] else {
            let suggestion = NameSuggestion.didYouMean(name, among: environmentNames)
            let known = environmentNames.isEmpty ? "none are defined" : "known: \(environmentNames.joined(separator: ", "))"
            problems.append(
                ConfigurationProblem(
                    kind: .unknownEnvironment(known: environmentNames),
                    message: "unknown environment '\(name)' (\(known))\(suggestion)"))
            throw ConfigurationError(configPath: path, environment: name, problems: problems)
        }
        var resolver = EnvironmentResolver(
            definition: definition, env: env, needs: needs,
            availablePipelines: availablePipelines,
            connectionPasswords: connectionPasswords)
        let resolved = resolver.resolve(configPath: path, base: etl)
        problems += resolver.problems
        guard problems.isEmpty, let resolved else {
            throw ConfigurationError(configPath: path, environment: name, problems: problems)
        }
        return resolved
    }

    /// Parses the file, collecting problems rather than stopping at the first. Throws only when
    /// there is no document to look at (missing file, not YAML).
    static func read(path: String) throws -> InstanceMatrix {
        let text = try contents(of: path)
        let reader = YAMLReader(file: path)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigurationError(configPath: path, environment: nil, problems: [syntaxProblem(error, path: path)])
        }
        var definitions: [String: EnvironmentDefinition] = [:]
        var names: [String] = []
        var topLevel = ETLSettingsLayer()
        if let root,
            let block = reader.mapping(
                root, at: YAMLKeyPath(), keys: topLevelKeys,
                required: [
                    "environments": "one block per environment (local, staging, production, …)"
                ])
        {
            if let environmentsNode = block["environments"],
                let entries = reader.entries(environmentsNode, at: YAMLKeyPath().appending("environments"))
            {
                for entry in entries {
                    names.append(entry.key)
                    definitions[entry.key] = EnvironmentDefinition.read(name: entry.key, node: entry.value, reader: reader)
                }
            }
            topLevel = ETLSettingsLayer.read(block["etl"], at: YAMLKeyPath().appending("etl"), reader: reader)
        } else if root == nil {
            reader.report(nil, YAMLKeyPath(), "the file is empty; it needs an 'environments:' block")
        }
        return InstanceMatrix(
            path: path, environmentNames: names, etl: topLevel.applied(to: .defaults),
            environments: definitions, readProblems: reader.problemsInFileOrder)
    }

    private static func contents(of path: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw ConfigurationError(
                configPath: path, environment: nil,
                problems: [
                    ConfigurationProblem(
                        kind: .fileMissing, location: path,
                        message: "no such file (working directory: \(FileManager.default.currentDirectoryPath))")
                ])
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(
                configPath: path, environment: nil,
                problems: [
                    ConfigurationProblem(
                        kind: .file, location: path, message: "cannot be read as UTF-8 text; check its permissions and encoding")
                ])
        }
        return text
    }

    /// The syntax problem with its position; the offending line itself is not echoed, since a
    /// broken file may be one someone pasted a secret into.
    private static func syntaxProblem(_ error: YamlError, path: String) -> ConfigurationProblem {
        let located: (problem: String, mark: Mark?)
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            located = (problem, mark)
        case .duplicatedKeysInMapping(let duplicates, let context):
            located = ("duplicated key \(duplicates.sorted().map { "'\($0)'" }.joined(separator: ", "))", context.mark)
        default:
            located = ("not valid YAML", nil)
        }
        let location = located.mark.map { "\(path):\($0.line):\($0.column)" } ?? path
        return ConfigurationProblem(kind: .file, location: location, message: "YAML syntax error: \(located.problem)")
    }
}
