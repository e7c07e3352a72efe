import ETLModel
import Foundation
import Pipelines
import Warehouse

/// One unit as planned: a pipeline for a company (or global).
public struct PlannedUnit: Sendable {
    public let unit: SyncUnit
    public let plan: PipelinePlan
    public let companyName: String?

    public var label: String {
        if let companyName, let id = unit.companyId { return "\(unit.pipeline) · \(companyName) (\(id))" }
        return "\(unit.pipeline) · all companies"
    }
}

public struct UnitReport: Sendable {
    public let label: String
    public let unit: SyncUnit
    public var status: UnitStatus
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    public var deleted = 0
    public var restored = 0
    public var batches = 0
    public var recordsRead = 0
    public var seconds = 0.0
    /// For failures: what happened, where and what to do (no secrets).
    public var message: String?
    /// What a dry run would have written, per table.
    public var wouldWrite: [String: Int] = [:]

    public init(label: String, unit: SyncUnit, status: UnitStatus, message: String? = nil) {
        self.label = label
        self.unit = unit
        self.status = status
        self.message = message
    }
}

/// Progress as it happens. Called from worker threads; implementations must be thread-safe.
public protocol SyncEventSink: Sendable {
    func unitStarted(_ unit: PlannedUnit, expectedRecords: Int?)
    func batchLoaded(_ unit: PlannedUnit, records: Int, report: UnitReport)
    func unitFinished(_ report: UnitReport)
    /// Warnings and notices (missing optional fields, skipped pipelines), once each.
    func notice(_ text: String)
}

/// The outcome of a whole run.
public struct SyncSummary: Sendable {
    public var odooVersion: String
    public var units: [UnitReport]
    public var notices: [String]

    public var anyFailed: Bool { units.contains { $0.status == .failed || $0.status == .interrupted } }
    public var allBusy: Bool { !units.isEmpty && units.allSatisfy { $0.status == .busy } }
}
