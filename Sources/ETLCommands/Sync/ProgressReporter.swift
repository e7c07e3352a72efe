import Foundation
import InstanceConfig
import Sync

/// Renders the engine's events: a live line per unit on a terminal, quiet plain lines otherwise,
/// JSON lines with `--log-format json` (all on stderr), and the final summary on stdout.
final class ProgressReporter: SyncEventSink, @unchecked Sendable {
    private let context: CommandContext
    private let lock = NSLock()
    private var expected: [String: Int] = [:]
    private var started: [String: Date] = [:]

    init(context: CommandContext) { self.context = context }

    func unitStarted(_ unit: PlannedUnit, expectedRecords: Int?) {
        lock.lock()
        started[unit.label] = Date()
        if let expectedRecords { expected[unit.label] = expectedRecords }
        lock.unlock()
        context.logger.info("unit started", ["unit": .string(unit.label), "expected_records": .int(expectedRecords ?? -1)])
    }

    func batchLoaded(_ unit: PlannedUnit, records: Int, report: UnitReport) {
        lock.lock()
        let total = expected[unit.label]
        let since = started[unit.label] ?? Date()
        lock.unlock()
        let elapsed = max(Date().timeIntervalSince(since), 0.001)
        let rate = Double(report.recordsRead) / elapsed
        var line = "\(unit.label): \(report.recordsRead.formatted()) records"
        if let total, total > 0 {
            line += " of ~\(total.formatted())"
            let remaining = max(0, total - report.recordsRead)
            if rate > 0 { line += ", ETA \(Int((Double(remaining) / rate).rounded())) s" }
        }
        line += ", \(Int(rate).formatted()) rec/s"
        if context.logFormat == .json {
            context.logger.info(
                "batch loaded",
                [
                    "unit": .string(unit.label), "records": .int(report.recordsRead),
                    "inserted": .int(report.inserted), "updated": .int(report.updated),
                    "unchanged": .int(report.unchanged), "batches": .int(report.batches),
                ])
        } else if context.isTerminal {
            StandardError.write("\r\u{1B}[2K" + line)
        } else {
            context.logger.info(line)
        }
    }

    func unitFinished(_ report: UnitReport) {
        if context.isTerminal && context.logFormat != .json { StandardError.write("\r\u{1B}[2K") }
        let fields: KeyValuePairs<String, LogValue> = [
            "unit": .string(report.label), "status": .string(report.status.rawValue), "inserted": .int(report.inserted),
            "updated": .int(report.updated), "unchanged": .int(report.unchanged), "deleted": .int(report.deleted),
            "batches": .int(report.batches), "seconds": .double((report.seconds * 100).rounded() / 100),
        ]
        switch report.status {
        case .failed, .interrupted:
            context.logger.error(report.message ?? "unit failed", fields)
        case .busy:
            context.logger.warning(report.message ?? "unit busy", fields)
        case .ok, .skipped:
            context.logger.info("unit finished", fields)
        }
    }

    func notice(_ text: String) {
        context.logger.warning(text)
    }

    /// The per-unit table every run ends with; with `--log-format json` one JSON line instead (the
    /// units are in the "unit finished" lines), so a journal holding stdout and stderr is all JSON.
    func printSummary(_ summary: SyncSummary, dryRun: Bool) {
        let failed = summary.units.filter { $0.status == .failed || $0.status == .interrupted }
        let busy = summary.units.filter { $0.status == .busy }.count
        let interrupted = summary.units.filter { $0.status == .interrupted }.count
        let totals =
            "Odoo \(summary.odooVersion): \(summary.units.count) units, \(failed.count - interrupted) failed, "
            + (interrupted > 0 ? "\(interrupted) interrupted, " : "") + "\(busy) busy" + (dryRun ? " (dry run: nothing was written)" : "")
        if context.logFormat == .json {
            let stdout = Logger(format: .json, write: { print($0, terminator: "") })
            // A dry run's answer is what it would write, unit by unit: "expenses · Acme (1): warehouse.hr_expense 120, …".
            let wouldWrite = summary.units.map { "\($0.label): " + Self.wouldWrite($0) }
            stdout.info(
                totals,
                [
                    "units": .int(summary.units.count), "failed": .int(failed.count - interrupted),
                    "interrupted": .int(interrupted), "busy": .int(busy), "odoo_version": .string(summary.odooVersion),
                    "dry_run": .bool(dryRun), "would_write": .list(dryRun ? wouldWrite : []),
                ])
            return
        }
        var rows: [[String]] = []
        if dryRun {
            rows.append(["unit", "records", "would write", "status"])
            for unit in summary.units {
                rows.append([unit.label, unit.recordsRead.formatted(), Self.wouldWrite(unit), unit.status.rawValue])
            }
        } else {
            rows.append(["unit", "inserted", "updated", "unchanged", "deleted", "seconds", "status"])
            for unit in summary.units {
                rows.append([
                    unit.label, unit.inserted.formatted(), unit.updated.formatted(), unit.unchanged.formatted(),
                    unit.deleted.formatted(), String(format: "%.1f", unit.seconds), unit.status.rawValue,
                ])
            }
        }
        print(TextTable.render(rows))
        for unit in failed {
            print(Redactor.shared.redact("\n\(unit.status == .failed ? "FAILED" : "INTERRUPTED") \(unit.message ?? unit.label)"))
        }
        print("\n" + totals)
    }
}

extension ProgressReporter {
    /// `warehouse.hr_expense 120, analytics.fact_expense 120`, or `-` for nothing.
    static func wouldWrite(_ unit: UnitReport) -> String {
        let writes = unit.wouldWrite.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.formatted())" }.joined(separator: ", ")
        return writes.isEmpty ? "-" : writes
    }
}

/// A plain left-aligned text table (numbers right-aligned).
enum TextTable {
    static func render(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        func isNumber(_ text: String) -> Bool { !text.isEmpty && text.allSatisfy { $0.isNumber || $0 == "," || $0 == "." || $0 == "-" } }
        return rows.enumerated().map { index, row in
            row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return index > 0 && isNumber(cell) ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}
