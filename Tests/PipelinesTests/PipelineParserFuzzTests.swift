import ETLModel
import Foundation
import Pipelines
import XCTest

/// Seeded mutation fuzzing of the pipeline-file parser: every repository pipeline, broken in
/// thousands of ways, must come back as a definition or a `PipelineValidationError` (Yams' own
/// errors are turned into one), never a crash, another error, or a hang.
///
/// `make test` runs 2,000 inputs; `ODOO_ETL_FUZZ_RUNS=1000000` runs that many (`make fuzz`), and
/// `ODOO_ETL_FUZZ_SEED` repeats a run. A crash leaves the input that caused it in
/// `$TMPDIR/odoo-etl-pipeline-fuzz-input.yaml`.
final class PipelineParserFuzzTests: XCTestCase {
    private static let defaultRuns = 2_000
    private static let defaultSeed: UInt64 = 20_241_125
    /// The slowest input must parse faster than this; the valid files take about a millisecond.
    /// An input still parsing after this long is a hang: the watchdog stops the process.
    private static let hangLimit: Duration = .seconds(30)

    func testMutatedPipelineFilesEndAsDefinitionsOrValidationErrors() throws {
        let environment = ProcessInfo.processInfo.environment
        let runs = environment["ODOO_ETL_FUZZ_RUNS"].flatMap { Int($0) } ?? Self.defaultRuns
        let seed = environment["ODOO_ETL_FUZZ_SEED"].flatMap { UInt64($0) } ?? Self.defaultSeed
        let files = try Self.repositoryPipelineFiles()
        XCTAssertGreaterThanOrEqual(files.count, 9, "the repository's pipelines are the seeds")

        let inputFile = try CurrentInputFile(
            path: FileManager.default.temporaryDirectory
                .appendingPathComponent("odoo-etl-pipeline-fuzz-input.yaml").path)
        let watchdog = HangWatchdog(limit: Self.hangLimit, inputPath: inputFile.path)
        defer { watchdog.stop() }
        let mutator = YAMLMutator(files: files.map(\.text))
        var random = SplitMix64(seed: seed)
        var tally = Tally()
        let clock = ContinuousClock()
        let started = clock.now

        for index in 0..<runs {
            let file = files.randomElement(using: &random)!
            let text = mutator.mutate(file.text, using: &random)
            inputFile.record(text)
            watchdog.begin(input: index)
            let inputStarted = clock.now
            let outcome = Self.parse(path: file.path, text: text)
            let elapsed = clock.now - inputStarted
            watchdog.end()
            tally.record(outcome, elapsed: elapsed, index: index, bytes: text.utf8.count)
            if case .unexpected(let message) = outcome, tally.unexpected <= 5 {
                XCTFail("input \(index) (seed \(seed)): \(message)\n--- input ---\n\(text.prefix(2_000))")
            }
            if (index + 1) % 100_000 == 0 {
                FileHandle.standardError.write(Data("pipeline parser fuzz: \(index + 1) of \(runs) inputs\n".utf8))
            }
        }

        let seconds = Double((clock.now - started).components.seconds)
        print(
            """
            pipeline parser fuzz: \(runs) inputs (seed \(seed)) in \(Int(seconds)) s: \
            \(tally.accepted) accepted, \(tally.rejected) rejected with PipelineValidationError, \(tally.unexpected) other outcomes; \
            slowest \(Self.milliseconds(tally.slowest)) ms (input \(tally.slowestIndex), \(tally.slowestBytes) bytes); \
            peak RSS \(ProcessMemory.peakResidentMegabytes()) MB
            """)
        XCTAssertEqual(tally.unexpected, 0)
        XCTAssertEqual(tally.accepted + tally.rejected, runs)
        XCTAssertGreaterThan(tally.rejected, 0, "the mutations must break files")
        inputFile.remove()
    }

    // MARK: - Alias expansion

    /// Ten anchors, each a list of ten aliases to the one before: 10^9 values once expanded, in
    /// 600 bytes. Used as a domain value it used to build the whole list (memory without bound);
    /// as a mapping key Yams hashed it node by node (about 6 µs a node, so hours).
    func testBillionLaughsIsRefusedQuicklyWhereverItIsUsed() throws {
        for use in [
            "domain: [[name, in, *TOP]]", "? *TOP\n: x", "*TOP : x", "fields: *TOP", "depends_on: *TOP",
            "targets: {t: {key: *TOP, columns: *TOP}}", "lookups: {l: {model: a.b, via: c, fields: *TOP}}",
        ] {
            let text = Self.laughs(levels: 9, use: use)
            let outcome = try Self.refusal(of: text, use: use)
            XCTAssertEqual(
                outcome.problem, "the file is too large once expanded: its anchors and aliases (*name) expand to more than 20000 values",
                use)
            XCTAssertLessThan(outcome.residentGrowthMegabytes, 50, use)
        }
    }

    /// A hundred anchors, each nesting the previous one 900 lists deeper: 90,000 levels, which no
    /// text can write out (libyaml stops at 1,000) and whose release overflowed the stack (SIGSEGV).
    func testDeepAliasChainIsRefusedWithoutOverflowingTheStack() throws {
        var lines = ["model: hr.expense", "fields: {name: required}", "chain:", "  a0: &a0 x"]
        for level in 1...100 {
            lines.append(
                "  a\(level): &a\(level) " + String(repeating: "[", count: 900) + "*a\(level - 1)" + String(repeating: "]", count: 900))
        }
        lines.append("domain: [[name, in, *a100]]")
        let outcome = try Self.refusal(of: lines.joined(separator: "\n"), use: "a deep chain")
        XCTAssertEqual(
            outcome.problem,
            "the file is too large once expanded: its anchors and aliases (*name) expand to more than 1000 levels of nesting")
        XCTAssertEqual(outcome.line, 7, "the first alias whose expansion is too deep: *a2 (1,801 levels) in a3")
    }

    func testOrdinaryAnchorsAndAliasesStillWork() throws {
        let text = """
            model: res.partner
            domain: [[state, in, &states [draft, posted]], [type, not in, *states]]
            fields:
              company_id: &required required
              write_date: *required
            targets:
              warehouse.partner_copy:
                key: [odoo_id]
                columns:
                  odoo_id: &id {type: bigint, from: id}
                  company_id: integer
                  odoo_write_date: {type: timestamp, from: write_date}
            """
        let definition = try PipelineCatalog.parseFile(path: "pipelines/partner_copy.yaml", text: text)
        XCTAssertEqual(definition.fields.map(\.name), ["company_id", "write_date"])
        XCTAssertEqual(
            definition.domain,
            .and([.leaf("state", "in", .strings(["draft", "posted"])), .leaf("type", "not in", .strings(["draft", "posted"]))]))
    }

    static func laughs(levels: Int, use: String) -> String {
        let fields = use.hasPrefix("fields:") ? [] : ["fields: {name: required}"]
        var lines =
            ["model: hr.expense"] + fields + [
                "laughs:",
                "  l0: &l0 [" + Array(repeating: "lol", count: 10).joined(separator: ", ") + "]",
            ]
        for level in 1...levels {
            lines.append("  l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]")
        }
        lines.append(use.replacingOccurrences(of: "TOP", with: "l\(levels)"))
        return lines.joined(separator: "\n")
    }

    struct Refusal {
        let problem: String
        let line: Int?
        let residentGrowthMegabytes: Int
    }

    /// Parses `text`, which must be refused by the alias budget (a count of expanded values, not a
    /// clock), and returns the expansion diagnostic.
    static func refusal(of text: String, use: String) throws -> Refusal {
        let before = ProcessMemory.residentMegabytes()
        var caught: PipelineValidationError?
        do {
            _ = try PipelineCatalog.parseFile(path: "pipelines/laughs.yaml", text: text)
        } catch let error as PipelineValidationError {
            caught = error
        }
        let diagnostic = try XCTUnwrap(
            caught?.diagnostics.first { $0.problem.contains("expanded") }, "\(use): \(String(describing: caught))")
        return Refusal(
            problem: diagnostic.problem, line: diagnostic.line,
            residentGrowthMegabytes: ProcessMemory.residentMegabytes() - before)
    }

    // MARK: - Support

    enum Outcome {
        case accepted
        case rejected
        case unexpected(String)
    }

    struct Tally {
        var accepted = 0
        var rejected = 0
        var unexpected = 0
        var slowest: Duration = .zero
        var slowestIndex = 0
        var slowestBytes = 0

        mutating func record(_ outcome: Outcome, elapsed: Duration, index: Int, bytes: Int) {
            switch outcome {
            case .accepted: accepted += 1
            case .rejected: rejected += 1
            case .unexpected: unexpected += 1
            }
            if elapsed > slowest {
                (slowest, slowestIndex, slowestBytes) = (elapsed, index, bytes)
            }
        }
    }

    static func parse(path: String, text: String) -> Outcome {
        do {
            _ = try PipelineCatalog.parseFile(path: path, text: text)
            return .accepted
        } catch let error as PipelineValidationError {
            guard !error.diagnostics.isEmpty else { return .unexpected("a PipelineValidationError without diagnostics") }
            // The message is what an operator reads; rendering it is part of the outcome.
            return error.description.isEmpty ? .unexpected("an empty PipelineValidationError message") : .rejected
        } catch {
            return .unexpected("threw \(type(of: error)), not PipelineValidationError: \(error)")
        }
    }

    static func repositoryPipelineFiles() throws -> [(path: String, text: String)] {
        let directory = Fixtures.pipelinesDirectory
        return try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
            .map { ("pipelines/\($0)", try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8)) }
    }

    static func milliseconds(_ duration: Duration) -> String {
        String(format: "%.2f", Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15)
    }
}

/// The input being parsed, kept in a file so that a crash, which ends the process, leaves it behind.
final class CurrentInputFile {
    let path: String
    private let descriptor: Int32

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
    }

    deinit {
        close(descriptor)
    }

    func record(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            _ = ftruncate(descriptor, 0)
            _ = pwrite(descriptor, bytes.baseAddress, bytes.count, 0)
        }
    }

    func remove() {
        unlink(path)
    }
}

/// Stops the process when one input has been parsing for longer than `limit`: a hang would
/// otherwise stall the test run without saying which input caused it.
final class HangWatchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var current: (input: Int, started: ContinuousClock.Instant)?
    private var stopped = false

    init(limit: Duration, inputPath: String) {
        let thread = Thread { [weak self] in
            while let watchdog = self {
                if let stuck = watchdog.stuckInput(limit: limit) {
                    fatalError("input \(stuck) has been parsing for more than \(limit): a hang; the input is in \(inputPath)")
                }
                if watchdog.isStopped { return }
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
        thread.start()
    }

    func begin(input: Int) {
        lock.withLock { current = (input, ContinuousClock.now) }
    }

    func end() {
        lock.withLock { current = nil }
    }

    func stop() {
        lock.withLock { stopped = true }
    }

    private var isStopped: Bool {
        lock.withLock { stopped }
    }

    private func stuckInput(limit: Duration) -> Int? {
        lock.withLock {
            guard let current, ContinuousClock.now - current.started > limit else { return nil }
            return current.input
        }
    }
}

enum ProcessMemory {
    /// The process's peak resident set (VmHWM), in megabytes; 0 where /proc is not available.
    static func peakResidentMegabytes() -> Int {
        field("VmHWM:") / 1024
    }

    /// The current resident set (VmRSS), in megabytes.
    static func residentMegabytes() -> Int {
        field("VmRSS:") / 1024
    }

    private static func field(_ name: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) })
        else { return 0 }
        return Int(line.dropFirst(name.count).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "") ?? 0
    }
}
