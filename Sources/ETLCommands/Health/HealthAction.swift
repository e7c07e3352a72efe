/// `health`: every service of an environment, each check pass / fail / skipped-because, printed
/// as text or one JSON document on stdout. Odoo, the warehouse and Superset are probed at the same
/// time, so one unreachable host costs its timeout once rather than delaying the others.
struct HealthAction {
    let request: HealthRequest
    let context: CommandContext

    func run() async throws -> ExitStatus {
        let environment = request.environment
        let timeouts = HealthTimeouts(environment.etl)
        let migrations = MigrationsDirectory.locate(pipelinesDirectory: context.pipelinesDirectory)
        async let odoo = onThread { HealthOdooProbe(environment: environment, timeouts: timeouts).run() }
        async let warehouse = onThread {
            HealthWarehouseProbe(environment: environment, migrationsDirectory: migrations, timeouts: timeouts).run()
        }
        async let superset = onThread { HealthSupersetProbe(environment: environment, timeouts: timeouts).run() }
        let report = HealthReport(environment: environment.name, checks: try await odoo + warehouse + superset)
        print(request.json ? report.json : report.text)
        return report.anyFailed ? .failure : .success
    }
}
