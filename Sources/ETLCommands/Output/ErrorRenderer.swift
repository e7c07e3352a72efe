import ArgumentParser
import Foundation
import InstanceConfig

/// The one place an error becomes a message and an exit status.
///
/// Text: `error: <summary>`, indented detail lines, `hint: <what to do>` on stderr. JSON: one log
/// line at level `error` with `details`, `hint` and `exit_status` fields. Help requested with
/// `--help` goes to stdout with status 0. Everything printed passes through `Redactor.shared`.
struct ErrorRenderer {
    let format: LogFormat
    /// The command words typed (`["sync"]`), for usage hints.
    let commandPath: [String]
    var writeError: @Sendable (String) -> Void = { StandardError.write($0) }
    var writeOutput: @Sendable (String) -> Void = { text in
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes the error and returns the status the process should exit with.
    func report(_ error: Error) -> ExitStatus {
        if let exit = error as? ExitCode {
            return ExitStatus(rawValue: exit.rawValue) ?? .failure
        }
        if let userFacing = error as? UserFacingError {
            write(userFacing)
            return userFacing.exitStatus
        }
        switch ETLCommand.exitCode(for: error).rawValue {
        case ExitStatus.success.rawValue:
            let message = ETLCommand.fullMessage(for: error)
            writeOutput(message.hasSuffix("\n") ? message : message + "\n")
            return .success
        case ExitStatus.usage.rawValue:
            write(usageError(for: error))
            return .usage
        default:
            write(UnexpectedError(underlying: error))
            return .failure
        }
    }

    private func usageError(for error: Error) -> CLIError {
        let subcommand = commandPath.first.flatMap { word in
            ETLCommand.configuration.subcommands.first { $0.configuration.commandName == word }
        }
        let usage = subcommand.map { ETLCommand.usageString(for: $0) } ?? ETLCommand.usageString()
        let command = subcommand.flatMap { $0.configuration.commandName }
        return .usage(
            command: command ?? "", message: Self.sentenceCase(ETLCommand.message(for: error)),
            usage: usage.replacingOccurrences(of: "\n", with: " "))
    }

    func write(_ error: UserFacingError) {
        let redactor = Redactor.shared
        switch format {
        case .text:
            var lines = ["error: \(redactor.redact(error.summary))"]
            lines += error.details.map { "  \(redactor.redact($0))" }
            lines.append("hint: \(redactor.redact(error.hint))")
            writeError(lines.joined(separator: "\n") + "\n")
        case .json:
            let logger = Logger(format: .json, write: writeError)
            if error.details.isEmpty {
                logger.error(error.summary, ["hint": .string(error.hint), "exit_status": .int(Int(error.exitStatus.rawValue))])
            } else {
                logger.error(
                    error.summary,
                    [
                        "details": .list(error.details), "hint": .string(error.hint),
                        "exit_status": .int(Int(error.exitStatus.rawValue)),
                    ])
            }
        }
    }

    /// ArgumentParser capitalizes its messages; ours follow `error:` in lower case.
    static func sentenceCase(_ message: String) -> String {
        guard let first = message.first, message.dropFirst().first?.isLowercase ?? false else { return message }
        return first.lowercased() + message.dropFirst()
    }
}

/// Any error without its own advice (a bug, or an engine error not yet made user-facing).
struct UnexpectedError: UserFacingError {
    let underlying: Error

    var summary: String { String(describing: underlying) }
    var hint: String {
        "nothing past the last committed batch was written; fix the cause above and run the command again "
            + "(it resumes from the last checkpoint)"
    }
    var exitStatus: ExitStatus { .failure }
}
