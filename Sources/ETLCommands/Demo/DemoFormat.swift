import Foundation
import Sync

/// Numbers and tables as the demo prints them.
enum DemoFormat {
    /// `1234567.5` → `1,234,567.50`
    static func money(_ amount: Double) -> String {
        grouped(String(format: "%.2f", amount))
    }

    /// Thousands separators in a decimal text such as PostgreSQL's `numeric` output: `-1234.50` → `-1,234.50`.
    static func grouped(_ decimal: String) -> String {
        let negative = decimal.hasPrefix("-")
        let unsigned = negative ? String(decimal.dropFirst()) : decimal
        let parts = unsigned.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        var digits = Array(parts[0])
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        groups.insert(String(digits), at: 0)
        let whole = groups.joined(separator: ",")
        return (negative ? "-" : "") + whole + (parts.count > 1 ? "." + parts[1] : "")
    }

    static func seconds(_ interval: TimeInterval) -> String {
        String(format: "%.1f s", interval)
    }

    /// Indents every non-empty line of a block by two spaces.
    static func indented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
    }

    /// Planning notices, the common "optional field not on this Odoo" ones folded into one line
    /// per pipeline; any other notice as it came.
    static func notices(_ notices: [String]) -> [String] {
        var order: [String] = []
        var missing: [String: (version: String, fields: [String])] = [:]
        var others: [String] = []
        for notice in notices {
            let range = NSRange(notice.startIndex..., in: notice)
            guard let match = missingOptionalField.firstMatch(in: notice, range: range), match.numberOfRanges == 4,
                let pipeline = Range(match.range(at: 1), in: notice), let field = Range(match.range(at: 2), in: notice),
                let version = Range(match.range(at: 3), in: notice)
            else {
                others.append(notice)
                continue
            }
            let name = String(notice[pipeline])
            if missing[name] == nil { order.append(name) }
            missing[name, default: (String(notice[version]), [])].fields.append(String(notice[field]))
        }
        return order.map { name in
            let entry = missing[name]!
            return "\(name): \(entry.fields.count) optional field(s) are not on Odoo \(entry.version); their columns stay NULL: "
                + entry.fields.joined(separator: ", ")
        } + others
    }

    private static let missingOptionalField = try! NSRegularExpression(
        pattern: #"^pipeline '([^']+)': [A-Za-z0-9_.]+\.([A-Za-z0-9_]+) is not on this Odoo \(([^)]*)\)"#)

    /// One row per pipeline (its companies added up), in the order the run took them, and a total.
    static func pipelineTable(_ summary: SyncSummary) -> String {
        struct Totals {
            var units = 0, read = 0, inserted = 0, updated = 0, unchanged = 0, deleted = 0, failed = 0, interrupted = 0
            mutating func add(_ report: UnitReport) {
                units += 1
                read += report.recordsRead
                inserted += report.inserted
                updated += report.updated
                unchanged += report.unchanged
                deleted += report.deleted
                switch report.status {
                case .failed, .busy: failed += 1
                case .interrupted: interrupted += 1
                case .ok, .skipped: break
                }
            }
            func row(_ name: String) -> [String] {
                [
                    name, units.formatted(), read.formatted(), inserted.formatted(), updated.formatted(), unchanged.formatted(),
                    deleted.formatted(), status,
                ]
            }
            var status: String {
                let problems = [failed > 0 ? "\(failed) failed" : nil, interrupted > 0 ? "\(interrupted) interrupted" : nil].compactMap {
                    $0
                }
                return problems.isEmpty ? "ok" : problems.joined(separator: ", ")
            }
        }
        var order: [String] = []
        var perPipeline: [String: Totals] = [:]
        var total = Totals()
        for report in summary.units {
            let name = report.unit.pipeline
            if perPipeline[name] == nil { order.append(name) }
            perPipeline[name, default: Totals()].add(report)
            total.add(report)
        }
        let rows =
            [["pipeline", "units", "read", "inserted", "updated", "unchanged", "deleted", "status"]]
            + order.map { perPipeline[$0]!.row($0) } + [total.row("total")]
        return TextTable.render(rows)
    }

    /// One row per pipeline of a verify run (its companies added up), and a total.
    static func verificationTable(_ summary: VerificationSummary) -> String {
        var order: [String] = []
        var units: [String: [UnitVerification]] = [:]
        for unit in summary.units {
            if units[unit.unit.pipeline] == nil { order.append(unit.unit.pipeline) }
            units[unit.unit.pipeline, default: []].append(unit)
        }
        func row(_ name: String, _ group: [UnitVerification], compared: String) -> [String] {
            let differing = group.filter { $0.status == .differs }.count
            let failed = group.filter { $0.status == .failed }.count
            let problems = [differing > 0 ? "\(differing) differ" : nil, failed > 0 ? "\(failed) failed" : nil].compactMap { $0 }
            return [
                name, group.count.formatted(), group.reduce(0) { $0 + $1.odooRows }.formatted(),
                group.reduce(0) { $0 + $1.warehouseRows }.formatted(), compared,
                problems.isEmpty ? "ok" : problems.joined(separator: ", "),
            ]
        }
        let rows =
            [["pipeline", "units", "rows in Odoo", "in warehouse", "compared", "status"]]
            + order.map { name in row(name, units[name]!, compared: units[name]!.compactMap(\.measures).first.map(compared) ?? "rows") }
            + [row("total", summary.units, compared: "")]
        return TextTable.render(rows)
    }

    /// e.g. `rows, 6 sums per month of date`.
    private static func compared(_ measures: VerificationMeasures) -> String {
        var text = "rows"
        if !measures.amounts.isEmpty { text += ", \(measures.amounts.count) sum\(measures.amounts.count == 1 ? "" : "s")" }
        if let month = measures.month { text += " per month of \(month.column)" }
        return text
    }
}
