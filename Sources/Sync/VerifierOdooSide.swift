import ETLModel
import OdooRPC
import Pipelines
import Warehouse

/// Odoo's side of a unit's comparison: what extraction reads (the pipeline's domain, the company,
/// archived records included), counted by `search_count` and aggregated by `read_group`.
struct OdooSide {
    let client: OdooClient
    let model: String
    let domain: OdooDomain
    let context: OdooContext

    init(client: OdooClient, plan: PipelinePlan, unit: SyncUnit, filter: RowFilter?) throws {
        let scope = UnitScope(plan: plan, unit: unit)
        let filtered: [OdooDomain] = filter.map { [.leaf($0.field, .in, .strings($0.values))] } ?? []
        var context = scope.context
        // Month groups come back as labels in the context's language; English ones are read.
        context.language = "en_US"
        self.client = client
        self.model = scope.model
        self.domain = scope.domain(and: filtered)
        self.context = context
    }

    func count() throws -> Int {
        try client.searchCount(model: model, domain: domain, context: context)
    }

    /// Count and exact sums per month (one group, `.all`, without a month column).
    func groups(_ measures: VerificationMeasures) throws -> [VerificationMonth: VerificationGroup<ExactDecimal>] {
        let fields = measures.summedFields
        let groupBy = measures.month.map { ["\($0.field):month"] } ?? []
        let answer = try client.readGroup(
            model: model, domain: domain, fields: fields.map { "\($0):sum" },
            groupBy: groupBy, lazy: false, context: context)
        var result: [VerificationMonth: VerificationGroup<ExactDecimal>] = [:]
        for group in answer {
            var month = VerificationMonth.all
            if let key = groupBy.first {
                guard let parsed = VerificationMonth(odooGroupValue: group[key]) else {
                    throw VerificationError.unreadableMonth(
                        model: model, field: measures.month?.field ?? key,
                        value: String(describing: group[key]))
                }
                month = parsed
            }
            guard result[month] == nil else {
                throw VerificationError.repeatedMonth(model: model, month: month.description)
            }
            var sums: [String: ExactDecimal] = [:]
            for field in fields { sums[field] = try sum(group[field], field: field) }
            result[month] = VerificationGroup(count: Int(group.count), sums: sums)
        }
        return result
    }

    private func sum(_ value: OdooValue, field: String) throws -> ExactDecimal {
        switch value {
        case .float(let number):
            if let exact = ExactDecimal(number) { return exact }
        case .int(let number):
            return ExactDecimal(number)
        case .null, .bool(false):
            return .zero
        default:
            break
        }
        throw VerificationError.unreadableSum(model: model, field: field, value: String(describing: value))
    }
}
