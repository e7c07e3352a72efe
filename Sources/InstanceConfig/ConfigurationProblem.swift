/// One thing wrong with the configuration: a key in the file, an environment variable, or the
/// requested environment. Values of `*_env` keys and of variables are never part of a message.
public struct ConfigurationProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The file does not exist.
        case fileMissing
        /// The file is unreadable, not YAML, or a key in it is wrong.
        case file
        /// An environment variable that a `*_env` key names is not set (or is empty).
        case missingVariable(name: String)
        /// `--env` names no block under `environments:`; carries the known names.
        case unknownEnvironment(known: [String])
    }

    public let kind: Kind
    /// `path:line:column` in the YAML file, when the problem sits at a place in it.
    public let location: String?
    /// The YAML key path, e.g. `environments.staging.odoo.password_env`.
    public let keyPath: String?
    public let message: String

    public init(kind: Kind, location: String? = nil, keyPath: String? = nil, message: String) {
        self.kind = kind
        self.location = location
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String {
        ([location, keyPath].compactMap { $0 } + [message]).joined(separator: ": ")
    }
}

/// Every problem found in the configuration for one run, reported together so one edit-and-retry
/// fixes them all. The command line shows it with exit status 64.
public struct ConfigurationError: Error, Equatable, CustomStringConvertible {
    public let configPath: String
    public let environment: String?
    public let problems: [ConfigurationProblem]

    public init(configPath: String, environment: String?, problems: [ConfigurationProblem]) {
        self.configPath = configPath
        self.environment = environment
        self.problems = problems
    }

    public var summary: String {
        if problems.count == 1 { return problems[0].description }
        let scope = environment.map { " for environment '\($0)'" } ?? ""
        return "\(configPath): \(problems.count) configuration problems\(scope)"
    }

    public var details: [String] {
        problems.count == 1 ? [] : problems.map(\.description)
    }

    public var missingVariables: [String] {
        problems.compactMap {
            if case .missingVariable(let name) = $0.kind { return name }
            return nil
        }
    }

    public var hint: String {
        var steps: [String] = []
        if problems.contains(where: { $0.kind == .fileMissing }) {
            steps.append("pass --config PATH, or run from the directory that holds config/instance-matrix.yaml")
        }
        if problems.contains(where: { $0.kind == .file }) {
            steps.append("fix \(configPath) as listed (config/README.md documents every key)")
        }
        for problem in problems {
            if case .unknownEnvironment(let known) = problem.kind {
                let name = environment ?? "NAME"
                steps.append(
                    "pass --env \(known.isEmpty ? "NAME" : known.joined(separator: "|")), "
                        + "or add an 'environments.\(name)' block to \(configPath)")
            }
        }
        let missing = missingVariables
        if !missing.isEmpty {
            steps.append(
                "export \(missing.joinedForProse) (secrets are read only from environment variables; "
                    + "the systemd unit reads them from its EnvironmentFile)")
        }
        return steps.joined(separator: "; then ")
    }

    public var description: String { ([summary] + details).joined(separator: "\n") }
}

extension Array where Element == String {
    /// `a, b and c` for messages.
    fileprivate var joinedForProse: String {
        switch count {
        case 0: return ""
        case 1: return self[0]
        default: return dropLast().joined(separator: ", ") + " and " + last!
        }
    }
}
