import ArgumentParser
import Foundation

/// The root command, `odoo-etl`.
public struct ETLCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "odoo-etl",
        abstract: "Keep a Supabase warehouse in sync with Odoo.",
        discussion: """
            Settings come from the instance matrix (--config); secrets only from the environment \
            variables it names. Exit status: 0 success; 1 a unit or check failed (the others still \
            ran); 64 usage or configuration error (nothing ran); 75 every requested unit was busy \
            (another run holds its lock).
            """,
        subcommands: [
            SyncCommand.self, BackfillCommand.self, MigrateCommand.self, HealthCommand.self,
            StatusCommand.self, VerifyCommand.self, CheckCommand.self, ConfigCommand.self, DemoCommand.self,
        ])

    @OptionGroup(title: "Global options") var global: GlobalOptions

    public init() {}

    public mutating func run() async throws {
        throw CLIError.missingCommand(available: Self.commandNames)
    }

    static var commandNames: [String] {
        configuration.subcommands.compactMap { $0.configuration.commandName }
    }

    /// Runs the command line and exits with its status. `main.swift` is just this call.
    public static func runAndExit() async -> Never {
        let status = await run(Array(CommandLine.arguments.dropFirst()))
        Foundation.exit(status.rawValue)
    }

    /// Parses and runs `arguments` (without the program name) against `actions`, renders any error
    /// on stderr, and returns the exit status.
    public static func run(_ arguments: [String], actions: any ETLActions = EngineActions()) async -> ExitStatus {
        let scan = ArgumentScan(arguments, globalOptionsWithValues: ["--config", "--pipelines", "--log-format"])
        let renderer = ErrorRenderer(format: scan.logFormat, commandPath: scan.command.map { [$0] } ?? [])
        for word in [scan.command, scan.helpTopic].compactMap({ $0 }) where !commandNames.contains(word) && word != "help" {
            return renderer.report(CLIError.unknownCommand(word, available: commandNames))
        }
        do {
            var command = try parseAsRoot(arguments)
            if let engineCommand = command as? EngineCommand {
                try await engineCommand.run(with: actions)
            } else if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return .success
        } catch {
            return renderer.report(error)
        }
    }
}

/// What can be told from the raw arguments before parsing: the command word (first argument that
/// is not a global option or its value) and the requested log format, so even a command line that
/// does not parse gets its error in the format cron asked for.
struct ArgumentScan {
    private(set) var command: String?
    /// The word after `help` in `odoo-etl help <command>`.
    private(set) var helpTopic: String?
    private(set) var logFormat: LogFormat = .text

    init(_ arguments: [String], globalOptionsWithValues: Set<String>) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument.hasPrefix("--log-format=") {
                logFormat = LogFormat(rawValue: String(argument.dropFirst("--log-format=".count))) ?? logFormat
            } else if argument == "--log-format", index + 1 < arguments.count {
                logFormat = LogFormat(rawValue: arguments[index + 1]) ?? logFormat
            }
            if globalOptionsWithValues.contains(argument) {
                index += 2
                continue
            }
            if !argument.hasPrefix("-") {
                if command == nil {
                    command = argument
                } else if command == "help", helpTopic == nil {
                    helpTopic = argument
                }
            }
            index += 1
        }
    }
}
