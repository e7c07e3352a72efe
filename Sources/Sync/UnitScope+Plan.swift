import ETLModel
import Pipelines

extension UnitScope {
    /// The records one unit covers: the pipeline's domain, a backfill's window of `write_date`
    /// days (UTC, both ends included), and the unit's company. Extraction, reconciliation and
    /// verification all build their scope here.
    init(plan: PipelinePlan, unit: SyncUnit, window: BackfillWindow? = nil) {
        var condition = plan.domain
        if let since = window?.since {
            condition = condition && .leaf("write_date", .greaterOrEqual, .datetime(Self.midnight(since)))
        }
        if let until = window?.until {
            condition = condition && .leaf("write_date", .less, .datetime(Self.midnight(until).adding(seconds: 86_400)))
        }
        self.init(model: plan.model, condition: condition.simplified, companyID: unit.companyId.map(Int64.init))
    }

    private static func midnight(_ day: OdooDate) -> OdooDateTime {
        OdooDateTime("\(day) 00:00:00")!
    }
}
