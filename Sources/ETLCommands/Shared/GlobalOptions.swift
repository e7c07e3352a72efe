import ArgumentParser
import Foundation
import InstanceConfig
import Postgres

/// Options every command accepts, before or after the command name.
public struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The instance matrix: environments and etl settings.", valueName: "path"))
    var config = "config/instance-matrix.yaml"

    @Option(name: .customLong("pipelines"), help: ArgumentHelp("Directory of pipeline YAML files.", valueName: "dir"))
    var pipelinesDirectory = "pipelines"

    @Option(
        name: .customLong("log-format"),
        help: ArgumentHelp(
            "Log lines and errors on stderr as text or as JSON lines (for cron and the journal).",
            valueName: "format"))
    var logFormat: LogFormat = .text

    public init() {}

    func context(command: String) -> CommandContext {
        CommandContext(
            command: command, configPath: config,
            pipelinesDirectory: URL(fileURLWithPath: pipelinesDirectory),
            logFormat: logFormat, logger: Logger(format: logFormat),
            isTerminal: StandardError.isTerminal)
    }

    /// Loads the instance matrix and resolves `environment` from this process's variables, checking
    /// `etl.pipelines.enabled` against the pipelines found (when given); every problem at once.
    func resolve(
        environment: String, requiring needs: CredentialNeeds,
        pipelines catalog: PipelineFileNames? = nil
    ) throws -> ResolvedEnvironment {
        try InstanceMatrix.loadAndResolve(
            path: config, environment: environment, env: ProcessInfo.processInfo.environment,
            requiring: needs, availablePipelines: catalog?.names,
            connectionPasswords: ConnectionStringSecrets.passwords(in:))
    }
}
