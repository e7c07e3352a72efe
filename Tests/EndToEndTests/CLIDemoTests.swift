import Foundation
import TestSupport
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// `odoo-etl demo` through the built binary, from the repository root as `make demo` runs it:
/// the whole story prints, the numbers of the incremental sync are the changes the demo made, and
/// no server or file is left behind, whether the demo finishes, fails or is interrupted.
final class CLIDemoTests: XCTestCase {
    func testDemoRunsEndToEndAndLeavesNothingBehind() throws {
        let run = try DemoProcess.start(["demo"])
        let result = run.waitForExit()
        XCTAssertEqual(result.status, 0, "stdout:\n\(result.stdout)\nstderr:\n\(result.stderr)")
        let output = result.stdout
        let migrations = try FileManager.default.contentsOfDirectory(
            atPath: TestPaths.migrations.path
        ).filter { $0.hasSuffix(".sql") }.count
        for line in [
            "1. migrate", "applied \(migrations) migrations", "2. sync --full", "3. Meanwhile in Odoo",
            "4. sync --reconcile", "5. verify", "6. A sample analytics query", "Done in",
        ] {
            XCTAssertTrue(output.contains(line), "missing '\(line)' in:\n\(output)")
        }
        let full = try XCTUnwrap(Self.row("total", after: "2. sync --full", in: output))
        XCTAssertEqual(full.last, "ok", "the full sync's total row: \(full)")
        XCTAssertGreaterThan(Self.number(full[2]), 10_000, "thousands of records are read: \(full)")
        // The incremental sync finds exactly the changes the demo says it made in Odoo.
        let approved = try XCTUnwrap(Self.match(#"approved (\d+) expense reports"#, in: output).flatMap { Int($0) }, output)
        let approvedExpenses = try XCTUnwrap(
            Self.match(#"expense reports of [^:]+: (\d+) expenses"#, in: output).flatMap { Int($0) }, output)
        let filed = try XCTUnwrap(Self.match(#"filed (\d+) new expenses"#, in: output).flatMap { Int($0) }, output)
        let deleted = try XCTUnwrap(Self.match(#"deleted (\d+) draft expenses"#, in: output).flatMap { Int($0) }, output)
        XCTAssertTrue(output.contains("corrected draft expense"), output)
        let expenses = try XCTUnwrap(Self.row("expenses", after: "4. sync --reconcile", in: output))
        XCTAssertEqual(Self.number(expenses[3]), filed, "new expenses: \(expenses)")
        XCTAssertEqual(Self.number(expenses[4]), approvedExpenses + 1, "approved and corrected expenses: \(expenses)")
        XCTAssertEqual(Self.number(expenses[6]), deleted, "deleted expenses: \(expenses)")
        let reports = try XCTUnwrap(Self.row("expense_reports", after: "4. sync --reconcile", in: output))
        XCTAssertEqual(Self.number(reports[4]), approved, "approved reports: \(reports)")
        let partners = try XCTUnwrap(Self.row("partners", after: "4. sync --reconcile", in: output))
        XCTAssertEqual(Self.number(partners[4]), 1, "the archived supplier: \(partners)")
        XCTAssertTrue(output.contains("Odoo and the warehouse agree on all"), "verify after the incremental sync:\n\(output)")
        let verified = try XCTUnwrap(Self.row("expenses", after: "5. verify", in: output))
        XCTAssertEqual(Self.number(verified[2]), Self.number(verified[3]), "expenses in Odoo and in the warehouse: \(verified)")
        XCTAssertTrue(output.contains("Makati Holdings Inc.  approved"), "the sample query shows stages per company:\n\(output)")
        try assertNothingLeft(by: output)
    }

    func testInterruptedDemoStopsEverything() throws {
        let run = try DemoProcess.start(["demo"])
        XCTAssertTrue(run.waitForOutput("2. sync --full", timeout: 120), "the demo never reached the full sync:\n\(run.stdoutSoFar)")
        kill(run.pid, SIGINT)
        let result = run.waitForExit()
        XCTAssertEqual(result.status, 1, "stdout:\n\(result.stdout)\nstderr:\n\(result.stderr)")
        XCTAssertTrue(result.stderr.contains("error: interrupted"), result.stderr)
        XCTAssertFalse(result.stdout.contains("Done in"), result.stdout)
        try assertNothingLeft(by: result.stdout)
    }

    func testMissingSimulatorFailsWithAHintAndCleansUp() throws {
        // A pipelines directory with no checkout around it: the simulator cannot be found.
        let elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent("odoo-etl-demo-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: TestPaths.pipelines,
            to: elsewhere.appendingPathComponent("pipelines"))
        let result = try DemoProcess.start(["--pipelines", elsewhere.appendingPathComponent("pipelines").path, "demo"]).waitForExit()
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("error: the bundled Odoo simulator is not at"), result.stderr)
        XCTAssertTrue(result.stderr.contains("hint: run the demo from the top of a checkout"), result.stderr)
        try assertNothingLeft(by: result.stdout)
    }

    // MARK: -

    /// The scratch directory is gone, and so are the simulator and PostgreSQL pids the demo printed
    /// (if it got that far) and any process that mentions the scratch directory (the server, the
    /// watchdog). The teardown is synchronous: the simulator must be gone the moment the demo
    /// exits (left to itself it would only notice its parent's exit half a second later).
    private func assertNothingLeft(by output: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let scratch = try XCTUnwrap(
            Self.match(#"files go to (\S+),"#, in: output), "no scratch directory in:\n\(output)",
            file: file, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch), "\(scratch) was left behind", file: file, line: line)
        if let simulator = Self.match(#"simulator on \S+ \(pid (\d+)\)"#, in: output).flatMap({ Int32($0) }) {
            XCTAssertFalse(Self.isRunning(simulator), "the simulator (pid \(simulator)) outlived the demo", file: file, line: line)
        }
        let postgres = Self.match(#"PostgreSQL \S+ on \S+ \(pid (\d+)\)"#, in: output).flatMap { Int32($0) }
        // A stopped PostgreSQL removes its pid file just before its process ends: allow a moment.
        let deadline = Date().addingTimeInterval(1)
        var survivors: [String] = []
        repeat {
            survivors =
                [postgres].compactMap { $0 }.filter(Self.isRunning).map { "PostgreSQL pid \($0)" }
                + Self.processes(mentioning: scratch)
            if survivors.isEmpty { break }
            usleep(50_000)
        } while Date() < deadline
        XCTAssertEqual(survivors, [], "left running after the demo", file: file, line: line)
    }

    /// Whether `pid` exists and is not a zombie: the postmaster, orphaned by pg_ctl, is reaped by
    /// whoever adopted it, which may take a while after it has ended.
    private static func isRunning(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return !stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    /// Processes whose command line contains `text`.
    private static func processes(mentioning text: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { Int32($0) != nil && Int32($0) != getpid() }.compactMap { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
            let commandLine = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            return commandLine.contains(text) ? "pid \(pid): \(commandLine)" : nil
        }
    }

    /// The cells of the first table row starting with `name` after the line starting with `heading`.
    private static func row(_ name: String, after heading: String, in output: String) -> [String]? {
        let lines = output.split(separator: "\n").map(String.init)
        guard let start = lines.firstIndex(where: { $0.hasPrefix(heading) }) else { return nil }
        return lines[start...].map { $0.split(separator: " ").map(String.init) }.first { $0.first == name }
    }

    private static func number(_ cell: String) -> Int {
        Int(cell.replacingOccurrences(of: ",", with: "")) ?? -1
    }

    private static func match(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let found = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
            let range = Range(found.range(at: 1), in: text)
        else { return nil }
        return String(text[range])
    }
}

/// The built binary run from the repository root, its output collected as it comes.
private final class DemoProcess: @unchecked Sendable {
    let pid: Int32
    private let process: Process
    private let lock = NSLock()
    private var stdout = Data()
    private var stderr = Data()
    private let drained = DispatchGroup()

    private init(process: Process) {
        self.process = process
        pid = process.processIdentifier
    }

    static func start(_ arguments: [String]) throws -> DemoProcess {
        guard FileManager.default.isExecutableFile(atPath: CLIWorkspace.binary.path) else {
            throw MissingBinary(path: CLIWorkspace.binary.path)
        }
        let process = Process()
        process.executableURL = CLIWorkspace.binary
        process.arguments = arguments
        process.currentDirectoryURL = TestPaths.repositoryRoot
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let run = DemoProcess(process: process)
        run.drain(out.fileHandleForReading) { run.stdout.append($0) }
        run.drain(err.fileHandleForReading) { run.stderr.append($0) }
        return run
    }

    var stdoutSoFar: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: stdout, as: UTF8.self)
    }

    func waitForOutput(_ text: String, timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if stdoutSoFar.contains(text) { return true }
            if !process.isRunning { return false }
            usleep(50_000)
        }
        return false
    }

    func waitForExit() -> CLIResult {
        process.waitUntilExit()
        drained.wait()
        lock.lock()
        defer { lock.unlock() }
        return CLIResult(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    private func drain(_ handle: FileHandle, into append: @escaping @Sendable (Data) -> Void) {
        drained.enter()
        Thread.detachNewThread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.lock()
                append(chunk)
                lock.unlock()
            }
            drained.leave()
        }
    }
}
