import Foundation
import TestSupport

extension EngineWorkspace {
    /// Replaces the matrix's `etl:` section: many quick retries (a chaos run must ride out every
    /// transient fault it meets) and a short Odoo request timeout, so an answer slower than the
    /// timeout costs seconds, not minutes.
    /// A scenario that takes the warehouse away for a moment needs a real backoff to outlast it.
    func configureForChaos(
        jobs: Int, lookbackSeconds: Int = 300, attempts: Int = 8, requestSeconds: Int = 2,
        backoff: (initial: Double, max: Double) = (0, 0)
    ) throws {
        let url = directory.appendingPathComponent("config/instance-matrix.yaml")
        let matrix = try String(contentsOf: url, encoding: .utf8)
        guard let etl = matrix.range(of: "\netl:\n") else { throw HarnessError("no etl: section in \(url.path)") }
        let settings = """

            etl:
              lookback_seconds: \(lookbackSeconds)
              jobs: \(jobs)
              retries:
                attempts: \(attempts)
                initial_backoff_seconds: \(backoff.initial)
                max_backoff_seconds: \(backoff.max)
              timeouts:
                connect_seconds: 2
                request_seconds: \(requestSeconds)

            """
        try (String(matrix[..<etl.lowerBound]) + settings).write(to: url, atomically: true, encoding: .utf8)
    }
}

/// The warehouse a chaos scenario attacks: the workspace's own database, or one on a server the
/// scenario controls. Every command runs with `--log-format json`, so stderr can be read back.
final class ChaosWarehouse {
    let workspace: EngineWorkspace
    let url: String
    let databaseName: String
    private(set) var inspector: WarehouseInspector

    init(workspace: EngineWorkspace, url: String? = nil) throws {
        self.workspace = workspace
        self.url = url ?? workspace.databaseURL
        databaseName = String(self.url.split(separator: "/").last ?? "")
        inspector = try WarehouseInspector(url: self.url)
    }

    /// A new inspector session, for after the server dropped every session.
    func reconnect() throws {
        inspector = try WarehouseInspector(url: url)
    }

    func start(_ arguments: [String]) throws -> RunningCommand {
        try workspace.start(["--log-format", "json"] + arguments, environment: ["SUPABASE_LOCAL_DB_URL": url])
    }

    func run(_ arguments: [String]) throws -> CLIResult {
        try start(arguments).wait()
    }

    /// `verify` through the binary: clean when it exits 0 and says Odoo and the warehouse agree.
    func verify() throws -> (clean: Bool, transcript: String) {
        let result = try run(["verify", "--env", "local"])
        return (result.status == 0 && result.stdout.contains("Odoo and the warehouse agree"), result.transcript)
    }
}

/// The structured lines of a run's stderr (`--log-format json`).
struct EngineLog {
    struct Line {
        let level: String
        let message: String
        let fields: [String: Any]
    }

    let lines: [Line]

    init(_ stderr: String) {
        lines = stderr.split(separator: "\n").compactMap { text in
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return nil }
            return Line(
                level: object["level"] as? String ?? "", message: object["msg"] as? String ?? "",
                fields: object["fields"] as? [String: Any] ?? [:])
        }
    }

    /// How each unit ended, by its label ("expenses · Makati Holdings Inc. (1)").
    var unitStatuses: [String: String] {
        var result: [String: String] = [:]
        for line in lines {
            if let unit = line.fields["unit"] as? String, let status = line.fields["status"] as? String { result[unit] = status }
        }
        return result
    }

    /// The messages of units that failed or were interrupted.
    var unitFailures: [String] {
        lines.filter { $0.level == "error" && $0.fields["unit"] != nil }.map(\.message)
    }
}
