import ETLModel
import Foundation
import OdooRPC
import Pipelines
import Sync

/// `verify`: per pipeline and company, row counts and amount sums month by month in Odoo
/// (`search_count`, `read_group`) against the warehouse. Exit 1 on any difference.
struct VerifyAction {
    let request: VerifyRequest
    let context: CommandContext

    /// Differences listed per unit before the rest are summarised (an empty warehouse differs everywhere).
    private static let differencesShownPerUnit = 20

    func run() async throws -> ExitStatus {
        let settings = try EngineSettings(request.environment)
        let catalog = try PipelineCatalog.load(directory: context.pipelinesDirectory)
        let pipelines = request.pipelines
        let companies = request.companies
        let summary = try await onThread {
            try VerificationRun(settings: settings, catalog: catalog).run(pipelines: pipelines, companies: companies)
        }
        print("Odoo \(summary.odooVersion) at \(settings.odoo.redactedServerURL)")
        summary.notices.forEach { print("notice: \($0)") }
        print(Self.table(summary))
        for unit in summary.units where unit.status == .differs {
            print("\nDIFFERS \(unit.label):")
            for difference in unit.differences.prefix(Self.differencesShownPerUnit) {
                print("  \(difference.month) · \(difference.measure): Odoo \(difference.odoo), warehouse \(difference.warehouse)")
            }
            if unit.differences.count > Self.differencesShownPerUnit {
                print("  … and \(unit.differences.count - Self.differencesShownPerUnit) more differences")
            }
        }
        for unit in summary.units where unit.status == .failed {
            print("\nFAILED \(unit.failure ?? unit.label)")
        }
        let differing = summary.units.filter { $0.status == .differs }.count
        let failed = summary.units.filter { $0.status == .failed }.count
        var verdict = "\nverify: \(summary.units.count) units"
        if summary.isClean {
            verdict += ", Odoo and the warehouse agree"
        } else {
            verdict += ", \(differing) differ, \(failed) failed"
            if differing > 0 {
                verdict += "; run sync (with --reconcile for hard deletes) or backfill the companies named above, then verify again"
            }
        }
        print(verdict)
        return summary.isClean ? .success : .failure
    }

    private static func table(_ summary: VerificationSummary) -> String {
        var rows = [["unit", "rows in Odoo", "rows in warehouse", "compared", "status"]]
        for unit in summary.units {
            rows.append([
                unit.label,
                unit.status == .failed ? "-" : unit.odooRows.formatted(),
                unit.status == .failed ? "-" : unit.warehouseRows.formatted(),
                unit.measures.map(compared) ?? "-",
                unit.status.rawValue,
            ])
        }
        return TextTable.render(rows)
    }

    /// e.g. `rows + 6 sums per month of date`; `rows` when the pipeline has no amounts or dates.
    private static func compared(_ measures: VerificationMeasures) -> String {
        var text = "rows"
        if !measures.amounts.isEmpty { text += " + \(measures.amounts.count) sum\(measures.amounts.count == 1 ? "" : "s")" }
        if let month = measures.month { text += " per month of \(month.column)" }
        return text
    }
}
