import Foundation

/// Benchmarks are env-gated tests (`ODOO_ETL_BENCH=1`, run by `make bench` in a release build) that
/// assert nothing about speed and report one line each into `ODOO_ETL_BENCH_REPORT`.
public enum BenchReport {
    /// Skips the calling test unless benchmarks were asked for.
    public static var isEnabled: Bool { ProcessInfo.processInfo.environment["ODOO_ETL_BENCH"] == "1" }

    /// Prints `line` and replaces the report line that starts with `key` (or appends it).
    public static func record(_ line: String, key: String) throws {
        print(line)
        guard let path = ProcessInfo.processInfo.environment["ODOO_ETL_BENCH_REPORT"], !path.isEmpty else { return }
        let file = URL(fileURLWithPath: path)
        let existing = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        var lines = existing.isEmpty ? [] : existing.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        if let index = lines.firstIndex(where: { $0.hasPrefix(key) }) {
            lines[index] = line
        } else {
            lines.append(line)
        }
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
    }

    /// Wall-clock seconds of `body`.
    public static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Runs a command to completion and returns its standard output; throws on a non-zero exit.
    @discardableResult
    public static func run(_ tool: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let output = Pipe()
        process.standardOutput = output
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        // Both pipes drain at once: a chatty child (progress lines on stderr) would otherwise fill
        // the stderr pipe and block forever while we wait for stdout to end.
        let errorData = PipeDrain(errors.fileHandleForReading)
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errorText = String(decoding: errorData.wait(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw HarnessError("\(tool) \(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): \(errorText)")
        }
        return text
    }
}
