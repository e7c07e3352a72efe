import Foundation
import OdooRPC
import Pipelines
import Sync

/// `check`: every pipeline's fields against this Odoo's `fields_get`, before anything breaks.
struct CheckAction {
    let request: CheckRequest
    let context: CommandContext

    func run() async throws -> ExitStatus {
        let environment = request.environment
        let odoo = try environment.odooConnection()
        let retryPolicy = environment.retryPolicy
        let catalog = try PipelineCatalog.load(directory: context.pipelinesDirectory)
        let names = request.pipelines
        return try await onThread {
            let client = OdooClient(settings: odoo, retryPolicy: retryPolicy)
            let version = try client.version().serverVersion
            _ = try client.authenticate()
            var failed = 0
            print("Odoo \(version) at \(odoo.redactedServerURL)")
            let selected = catalog.pipelines.filter { names.isEmpty || names.contains($0.name) }
            for (definition, resolution) in try Planner(client: client, catalog: catalog).fit(selected, odooVersion: version) {
                switch resolution {
                case .ready(let plan):
                    print("ok       \(definition.name) (\(definition.model))")
                    plan.warnings.forEach { print("  warning: \($0.message)") }
                case .skipped(let notice):
                    print("skipped  \(definition.name): \(notice.message)")
                case .failed(let error):
                    failed += 1
                    print("FAILS    \(definition.name) (\(definition.model)) on Odoo \(version):")
                    error.problems.forEach { print("  - \($0)") }
                }
            }
            print(
                failed == 0
                    ? "check: every pipeline fits this Odoo"
                    : "check: \(failed) pipeline(s) would fail; fix the pipeline files or the Odoo modules before syncing")
            return failed == 0 ? .success : .failure
        }
    }
}
