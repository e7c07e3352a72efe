import ETLModel
import OdooRPC
import Pipelines
import Postgres
import Warehouse

/// `verify` as a whole: the Planner picks the pipelines and companies exactly as `sync` would
/// (fields checked against `fields_get`, skipped models noticed), then every unit is compared in
/// dependency order on the calling thread. A unit that cannot be compared is reported as failed and
/// the others still run.
public struct VerificationRun {
    public let settings: EngineSettings
    public let catalog: PipelineCatalog

    public init(settings: EngineSettings, catalog: PipelineCatalog) {
        self.settings = settings
        self.catalog = catalog
    }

    /// Blocking. Throws only when nothing can be compared (Odoo or the warehouse unreachable, bad
    /// login, unknown pipeline or company).
    /// - Parameters:
    ///   - pipelines: names; empty for every pipeline of the catalog.
    ///   - companies: empty for every company.
    public func run(pipelines: [String] = [], companies: [CompanySelection] = []) throws -> VerificationSummary {
        var options = SyncOptions()
        options.pipelines = pipelines
        options.companies = companies
        let client = OdooClient(settings: settings.odoo, retryPolicy: settings.retryPolicy)
        let plan = try Planner(client: client, catalog: catalog).plan(options)
        let warehouse = try settings.openWarehouse()
        let verifier = Verifier(client: client, warehouse: warehouse)
        var units = plan.unresolved.map { report in
            var failed = UnitVerification(unit: report.unit, label: report.label)
            failed.failure = report.message ?? "the pipeline does not fit this Odoo"
            return failed
        }
        for planned in plan.units {
            do {
                units.append(try verifier.verify(plan: planned.plan, unit: planned.unit, companyName: planned.companyName))
            } catch {
                var failed = UnitVerification(unit: planned.unit, label: planned.label)
                failed.failure = "\(planned.label): \(error) — \(Self.advice(for: error))"
                units.append(failed)
            }
        }
        return VerificationSummary(odooVersion: plan.odooVersion.serverVersion, units: units, notices: plan.notices)
    }

    /// What to do about a unit that could not be compared (verify writes nothing either way).
    static func advice(for error: Error) -> String {
        if let error = error as? PostgresError, error.sqlState == "42P01" || error.sqlState == "42703" {
            return "the warehouse schema is missing or older than the pipeline files; run `odoo-etl migrate` and sync, then verify again"
        }
        return "nothing was written; fix the cause and run verify again"
    }
}
