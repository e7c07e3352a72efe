import ETLModel
import Foundation
import OdooRPC
import Pipelines
import Warehouse

/// What a run will do, decided before any write: the Odoo version, each pipeline resolved
/// against `fields_get` (drift reported by field and model), the companies, and the units in
/// dependency order (one level runs after the previous one finished).
public struct RunPlan: Sendable {
    public let odooVersion: OdooServerVersion
    public let levels: [[PlannedUnit]]
    /// Pipelines that cannot run on this Odoo, as failed reports (they count as failures).
    public let unresolved: [UnitReport]
    public let notices: [String]
    public let companies: [(id: Int, name: String)]

    public var units: [PlannedUnit] { levels.flatMap { $0 } }
}

public struct Planner {
    let client: OdooClient
    let catalog: PipelineCatalog

    public init(client: OdooClient, catalog: PipelineCatalog) {
        self.client = client
        self.catalog = catalog
    }

    public func plan(_ options: SyncOptions) throws -> RunPlan {
        let version = try client.version()
        _ = try client.authenticate()
        let definitions = try selectedDefinitions(options.pipelines)
        var notices: [String] = []
        var unresolved: [UnitReport] = []
        var plans: [PipelinePlan] = []
        for (definition, resolution) in try fit(definitions, odooVersion: version.serverVersion) {
            switch resolution {
            case .ready(let plan):
                notices += plan.warnings.map(\.description)
                plans.append(plan)
            case .skipped(let notice):
                notices.append(notice.description)
            case .failed(let error):
                unresolved.append(
                    UnitReport(
                        label: "\(definition.name) · all companies",
                        unit: SyncUnit(pipeline: definition.name, companyId: nil),
                        status: .failed, message: error.description))
            }
        }

        let companies = try allCompanies()
        let selected = try select(options.companies, from: companies)
        var depth: [String: Int] = [:]
        for plan in plans {
            let parents = plan.definition.dependsOn.compactMap { depth[$0] }
            depth[plan.name] = (parents.max() ?? -1) + 1
        }
        var levels: [[PlannedUnit]] = Array(repeating: [], count: (depth.values.max() ?? -1) + 1)
        for plan in plans {
            let units: [PlannedUnit]
            switch plan.scope {
            case .global:
                if case .backfill = options.mode {
                    // A backfill re-extracts one legal entity; a shared pipeline belongs to every
                    // company (and etl.backfill_progress keys on one), so `sync` keeps it current.
                    notices.append(
                        "pipeline '\(plan.name)' is shared by every company and is not part of a company backfill; sync keeps it current")
                    units = []
                } else {
                    units = [PlannedUnit(unit: SyncUnit(pipeline: plan.name, companyId: nil), plan: plan, companyName: nil)]
                }
            case .company:
                units = selected.map {
                    PlannedUnit(unit: SyncUnit(pipeline: plan.name, companyId: $0.id), plan: plan, companyName: $0.name)
                }
            }
            levels[depth[plan.name] ?? 0] += units
        }
        return RunPlan(
            odooVersion: version, levels: levels.filter { !$0.isEmpty }, unresolved: unresolved,
            notices: notices, companies: companies)
    }

    /// Each pipeline resolved against this Odoo's `fields_get` (each model asked once; a model
    /// Odoo does not have is `.missing`, not an error). What `check` reports and `sync` plans from.
    public func fit(_ definitions: [PipelineDefinition], odooVersion: String) throws -> [(PipelineDefinition, PipelineResolution)] {
        var fieldCache: [String: ModelFields] = [:]
        return try definitions.map { definition in
            var models: [String: ModelFields] = [:]
            for model in definition.modelsToInspect {
                if fieldCache[model] == nil {
                    do {
                        fieldCache[model] = .available(try client.fieldsGet(model: model))
                    } catch let error as OdooError {
                        guard case .missingModel = error.kind else { throw error }
                        fieldCache[model] = .missing
                    }
                }
                models[model] = fieldCache[model]
            }
            return (definition, PipelineResolver.resolve(definition, models: models, odooVersion: odooVersion))
        }
    }

    /// The requested pipelines in the catalog's dependency order; all of them when none is named.
    private func selectedDefinitions(_ names: [String]) throws -> [PipelineDefinition] {
        guard !names.isEmpty else { return catalog.pipelines }
        for name in names where catalog.pipeline(named: name) == nil {
            throw SyncError.unknownPipeline(name, known: catalog.pipelines.map(\.name))
        }
        return catalog.pipelines.filter { names.contains($0.name) }
    }

    public func allCompanies() throws -> [(id: Int, name: String)] {
        try client.searchRead(model: "res.company", fields: ["name"], order: "id asc", context: .extraction())
            .map { record in
                let name: String
                if case .string(let text) = record["name"] { name = text } else { name = "company \(record.id)" }
                return (Int(record.id), name)
            }
    }

    /// Companies by id or exact name; an unknown or ambiguous selection lists the candidates.
    public func select(_ selections: [CompanySelection], from companies: [(id: Int, name: String)]) throws -> [(id: Int, name: String)] {
        guard !selections.isEmpty else { return companies }
        let listed = companies.map { "\($0.id) \($0.name)" }
        var chosen: [(id: Int, name: String)] = []
        for selection in selections {
            let matches: [(id: Int, name: String)]
            switch selection {
            case .id(let id): matches = companies.filter { $0.id == id }
            case .name(let name): matches = companies.filter { $0.name == name }
            }
            if matches.isEmpty { throw SyncError.unknownCompany(selection, candidates: listed) }
            if matches.count > 1, case .name(let name) = selection {
                throw SyncError.ambiguousCompany(name, matches: matches.map { "\($0.id) \($0.name)" })
            }
            if !chosen.contains(where: { $0.id == matches[0].id }) { chosen.append(matches[0]) }
        }
        return chosen
    }
}
