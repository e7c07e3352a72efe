import Foundation
import Sync

/// The demo's progress: one live line on a terminal (overwritten in place, erased when a unit
/// ends), nothing otherwise; the tables after each step say what happened.
final class DemoProgress: SyncEventSink, @unchecked Sendable {
    private let live: Bool

    init(live: Bool) { self.live = live }

    func unitStarted(_ unit: PlannedUnit, expectedRecords: Int?) {
        show("  \(unit.label): starting")
    }

    func batchLoaded(_ unit: PlannedUnit, records: Int, report: UnitReport) {
        show("  \(unit.label): \(report.recordsRead.formatted()) records")
    }

    func unitFinished(_ report: UnitReport) {
        show("")
    }

    /// Notices also arrive in the run's summary, where the demo reports them.
    func notice(_ text: String) {}

    private func show(_ line: String) {
        guard live else { return }
        StandardError.write("\r\u{1B}[2K" + line)
    }
}
