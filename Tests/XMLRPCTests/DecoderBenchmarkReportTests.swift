import Foundation
import TestSupport
import XCTest
import XMLRPC

/// Measures the decoder against Python's `xmlrpc.client.loads` on the same body. Not a unit test:
/// it runs only with `ODOO_ETL_BENCH=1` (see bench/decoder_bench.sh), in a release build, and
/// asserts nothing about speed.
final class DecoderBenchmarkReportTests: XCTestCase {
    private static let bodyBytes = 20_000_000
    private static let rounds = 3

    func testDecoderBenchmarkReport() throws {
        let environment = ProcessInfo.processInfo.environment
        guard environment["ODOO_ETL_BENCH"] == "1" else {
            throw XCTSkip("set ODOO_ETL_BENCH=1 to run the decoder benchmark (bench/decoder_bench.sh does)")
        }
        let (body, records) = ExpenseRecords.response(minimumBytes: Self.bodyBytes)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "odoo-etl-decoder-bench-\(ProcessInfo.processInfo.processIdentifier).xml")
        try body.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        var swiftSeconds = Double.infinity
        for _ in 0..<Self.rounds {
            let start = DispatchTime.now().uptimeNanoseconds
            let response = try XMLRPCDecoder.decodeResponse(body)
            swiftSeconds = min(swiftSeconds, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            guard case .value(.array(let decoded)) = response, decoded.count == records.count else {
                return XCTFail("the benchmark body did not decode to its \(records.count) records")
            }
        }
        let pythonSeconds = try Self.pythonLoadsSeconds(file: file, rounds: Self.rounds)

        let megabytes = Double(body.count) / 1e6
        let line = String(
            format: "decoder: %.1fx python xmlrpc.client (%.0f MB/s vs %.0f MB/s)",
            pythonSeconds / swiftSeconds, megabytes / swiftSeconds, megabytes / pythonSeconds)
        print(
            "decoder benchmark: \(body.count) bytes, \(records.count) records, best of \(Self.rounds): swift \(String(format: "%.3f", swiftSeconds)) s, python \(String(format: "%.3f", pythonSeconds)) s"
        )
        try BenchReport.record(line, key: "decoder: ")
    }

    /// Best time of `xmlrpc.client.loads` on the file's bytes, timed inside Python so that start-up
    /// and reading the file are left out, as they are for the Swift side.
    private static func pythonLoadsSeconds(file: URL, rounds: Int) throws -> Double {
        let script = """
            import sys, time, xmlrpc.client
            data = open(sys.argv[1], 'rb').read()
            best = min((lambda t: (xmlrpc.client.loads(data), time.perf_counter() - t)[1])(time.perf_counter()) for _ in range(int(sys.argv[2])))
            print(best)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, file.path, String(rounds)]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0, let seconds = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw BenchmarkError(message: "python3 xmlrpc.client.loads failed (exit \(process.terminationStatus)): \(text)")
        }
        return seconds
    }

    private struct BenchmarkError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
