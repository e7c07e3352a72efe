import ETLModel

/// Mistakes on the command line, each with what to do about it.
public enum CLIError: UserFacingError, Equatable, CustomStringConvertible {
    /// `odoo-etl` without a command.
    case missingCommand(available: [String])
    /// The first word is not a command.
    case unknownCommand(String, available: [String])
    /// An option parsed but its value makes no sense; every such problem of one command line.
    case invalidOptions(command: String, problems: [String])
    /// ArgumentParser rejected the command line (unknown option, missing value…).
    case usage(command: String, message: String, usage: String)
    /// `--pipelines DIR` does not exist.
    case pipelinesDirectoryMissing(path: String)
    /// `--pipelines DIR` holds no `*.yaml`.
    case noPipelines(path: String)

    public var exitStatus: ExitStatus { .usage }

    public var summary: String {
        switch self {
        case .missingCommand:
            return "no command given"
        case .unknownCommand(let word, let available):
            return "unknown command '\(word)'\(NameSuggestion.didYouMean(word, among: available))"
        case .invalidOptions(_, let problems):
            return problems.count == 1 ? problems[0] : "\(problems.count) invalid options"
        case .usage(_, let message, _):
            return message
        case .pipelinesDirectoryMissing(let path):
            return "the pipelines directory '\(path)' does not exist"
        case .noPipelines(let path):
            return "the pipelines directory '\(path)' holds no pipeline (*.yaml) files"
        }
    }

    public var details: [String] {
        switch self {
        case .missingCommand(let available), .unknownCommand(_, let available):
            return ["commands: \(available.joined(separator: ", "))"]
        case .invalidOptions(_, let problems):
            return problems.count == 1 ? [] : problems
        case .usage(_, _, let usage):
            return ["usage: \(usage)"]
        default:
            return []
        }
    }

    public var hint: String {
        switch self {
        case .missingCommand, .unknownCommand:
            return "run 'odoo-etl --help' to see what each command does"
        case .invalidOptions(let command, _), .usage(let command, _, _):
            return "run '\((["odoo-etl", command].filter { !$0.isEmpty }).joined(separator: " ")) --help' for every option"
        case .pipelinesDirectoryMissing:
            return "pass --pipelines DIR (the directory of pipeline YAML files; --pipeline NAME selects one pipeline) "
                + "or run from the repository root"
        case .noPipelines:
            return "point --pipelines at the directory that holds the pipeline files (pipelines/ in the repository)"
        }
    }

    public var description: String { ([summary] + details).joined(separator: "\n") }
}
