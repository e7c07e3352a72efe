import Foundation
import TestSupport
import XCTest

/// What one run of the built `odoo-etl` printed and how it exited.
struct CLIResult {
    let status: Int32
    let stdout: String
    let stderr: String

    /// The form golden files hold: the exit status, then both streams.
    var transcript: String {
        "exit: \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)"
    }
}

/// The staging variables with values that must never appear in any output.
enum StagingSecrets {
    static let password = "pw-Do-Not-Print-7731"
    static let databasePassword = "db-Secret-4410"
    static let variables = [
        "ODOO_STAGING_LOGIN": "etl-bot@example.com",
        "ODOO_STAGING_PASSWORD": password,
        "SUPABASE_STAGING_DB_URL": "postgresql://etl:\(databasePassword)@db.staging.example.com:5432/postgres",
    ]
}

/// Runs the built binary (`.build/debug/odoo-etl`, or `ODOO_ETL_BINARY`) in a scratch working
/// directory that holds a copy of the repository's config/ and a pipelines/ directory, so messages
/// show the default relative paths and nothing depends on where the test runs.
final class CLIWorkspace {
    static let binary: URL = {
        if let override = ProcessInfo.processInfo.environment["ODOO_ETL_BINARY"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        return TestPaths.repositoryRoot.appendingPathComponent(".build/debug/odoo-etl")
    }()

    static let pipelineNames = [
        "companies", "partners", "employees", "taxes", "expenses", "expense_reports", "invoices",
        "journal_items", "bir_tax_lines",
    ]

    let directory: URL

    init(pipelines: [String] = CLIWorkspace.pipelineNames) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary.path) else {
            throw MissingBinary(path: Self.binary.path)
        }
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("odoo-etl-cli-\(UUID().uuidString)")
        let config = directory.appendingPathComponent("config")
        let pipelinesDirectory = directory.appendingPathComponent("pipelines")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: pipelinesDirectory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: TestPaths.repositoryRoot.appendingPathComponent("config/instance-matrix.yaml"),
            to: config.appendingPathComponent("instance-matrix.yaml"))
        for name in pipelines {
            // The command line only checks which pipeline files exist; their content is the engine's.
            try "model: placeholder.for.\(name)\n".write(
                to: pipelinesDirectory.appendingPathComponent("\(name).yaml"), atomically: true, encoding: .utf8)
        }
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    var matrixURL: URL { directory.appendingPathComponent("config/instance-matrix.yaml") }

    func matrix() throws -> String { try String(contentsOf: matrixURL, encoding: .utf8) }

    func writeMatrix(_ text: String) throws {
        try text.write(to: matrixURL, atomically: true, encoding: .utf8)
    }

    /// Runs `odoo-etl arguments…` with exactly `environment` (plus PATH and a fixed terminal width).
    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CLIResult {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ["PATH": "/usr/bin:/bin", "COLUMNS": "80"].merging(environment) { $1 }
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Drain stderr on another thread while reading stdout here, so a chatty child never blocks
        // on a full pipe.
        let errorReader = PipeDrain(stderr.fileHandleForReading)
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = errorReader.wait()
        process.waitUntilExit()
        return CLIResult(
            status: process.terminationStatus,
            stdout: String(decoding: output, as: UTF8.self),
            stderr: String(decoding: errors, as: UTF8.self))
    }
}

struct MissingBinary: Error, CustomStringConvertible {
    let path: String
    var description: String { "no odoo-etl binary at \(path); build it first: swift build --product odoo-etl" }
}

/// Golden files under Tests/EndToEndTests/Golden/. `ODOO_ETL_UPDATE_GOLDEN=1` rewrites them from the
/// current output instead of comparing.
enum Golden {
    static let directory = TestPaths.repositoryRoot.appendingPathComponent("Tests/EndToEndTests/Golden")

    static var updating: Bool { ProcessInfo.processInfo.environment["ODOO_ETL_UPDATE_GOLDEN"] == "1" }

    static func assertMatches(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = directory.appendingPathComponent(name)
        if updating {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail("missing golden file \(url.path); run with ODOO_ETL_UPDATE_GOLDEN=1 to create it", file: file, line: line)
            return
        }
        guard expected != actual else { return }
        let expectedLines = expected.components(separatedBy: "\n")
        let actualLines = actual.components(separatedBy: "\n")
        let first =
            zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(expectedLines.count, actualLines.count)
        XCTFail(
            """
            output differs from \(name) at line \(first + 1):
              expected: \(first < expectedLines.count ? expectedLines[first] : "<end of file>")
              actual:   \(first < actualLines.count ? actualLines[first] : "<end of output>")
            whole output:
            \(actual)
            (ODOO_ETL_UPDATE_GOLDEN=1 rewrites the golden files if the change is intended)
            """, file: file, line: line)
    }
}
