import Foundation
import InstanceConfig
import Warehouse

/// Renders `status`: a table with one row per unit and a note per unit that needs attention, or one
/// JSON document. Times are UTC throughout, as the warehouse stores them.
struct StatusReport {
    let environment: String
    let units: [StatusReader.UnitState]

    /// Company names longer than this are cut in the table (JSON keeps them whole).
    static let companyNameWidth = 24

    var text: String {
        guard !units.isEmpty else {
            return "no pipeline has a checkpoint or a run in environment '\(environment)' yet; "
                + "run odoo-etl sync --env \(environment)"
        }
        var rows = [
            [
                "pipeline", "company", "checkpoint", "lag", "last run", "started", "took", "status",
                "inserted", "updated", "unchanged", "deleted", "batches",
            ]
        ]
        for status in units {
            let run = status.lastRun
            rows.append([
                status.unit.pipeline, companyCell(status),
                status.checkpoint.map { "\($0.writeDate), id \($0.id)" } ?? "none",
                status.checkpoint.map { StatusDuration.lag($0.lagSeconds) } ?? "",
                run?.kind ?? "never", run?.startedAt ?? "",
                run.map { $0.seconds.map(StatusDuration.run) ?? "(open)" } ?? "",
                run?.status ?? "",
                count(run?.inserted), count(run?.updated), count(run?.unchanged), count(run?.deleted), count(run?.batches),
            ])
        }
        let notes = units.flatMap(Self.notes)
        let failed = units.filter { ["failed", "interrupted"].contains($0.lastRun?.status) }.count
        let open = units.filter { $0.lastRun?.status == "running" }.count
        var lines = ["status of environment '\(environment)' (times UTC)", TextTable.render(rows)]
        if !notes.isEmpty { lines += [""] + notes }
        lines.append(
            "\n\(units.count) unit\(units.count == 1 ? "" : "s"): \(failed) with a failed or interrupted last run, \(open) with a run still open"
        )
        return Redactor.shared.redact(lines.joined(separator: "\n"))
    }

    var json: String {
        let items = units.map { status -> String in
            JSONText.object([
                ("pipeline", JSONText.string(status.unit.pipeline)),
                ("company_id", status.unit.companyId.map { String($0) } ?? "null"),
                ("company_name", status.companyName.map(JSONText.string) ?? "null"),
                (
                    "checkpoint",
                    status.checkpoint.map { checkpoint in
                        JSONText.object([
                            ("write_date", Self.iso(checkpoint.writeDate)), ("id", String(checkpoint.id)),
                            ("updated_at", Self.iso(checkpoint.updatedAt)),
                        ])
                    } ?? "null"
                ),
                ("lag_seconds", status.checkpoint.map { String(max(0, $0.lagSeconds)) } ?? "null"),
                ("lag", status.checkpoint.map { JSONText.string(StatusDuration.lag($0.lagSeconds)) } ?? "null"),
                ("last_run", status.lastRun.map(Self.runJSON) ?? "null"),
                (
                    "last_error",
                    status.lastError.map { error in
                        JSONText.object([
                            ("run_id", String(error.runId)), ("status", JSONText.string(error.status)),
                            ("started_at", Self.iso(error.startedAt)), ("message", JSONText.string(error.firstLine)),
                            ("resolved", error.resolved ? "true" : "false"),
                        ])
                    } ?? "null"
                ),
                ("flags", JSONText.array(StatusFlag.flags(of: status).map(\.rawValue))),
            ])
        }
        let document = JSONText.object([("environment", JSONText.string(environment)), ("units", "[" + items.joined(separator: ",") + "]")])
        return Redactor.shared.redact(document)
    }

    private func companyCell(_ status: StatusReader.UnitState) -> String {
        guard let id = status.unit.companyId else { return "global" }
        guard let name = status.companyName, !name.isEmpty else { return "company \(id)" }
        let shown = name.count > Self.companyNameWidth ? name.prefix(Self.companyNameWidth - 1) + "…" : name
        return "\(shown) (\(id))"
    }

    private func count(_ value: Int64?) -> String { value.map { Int($0).formatted() } ?? "-" }

    private static func label(_ status: StatusReader.UnitState) -> String {
        status.unit.description + (status.companyName.map { " (\($0))" } ?? "")
    }

    /// What a reader should not miss about a unit, one line each.
    static func notes(_ status: StatusReader.UnitState) -> [String] {
        let unit = label(status)
        var notes: [String] = []
        for flag in StatusFlag.flags(of: status) {
            let run = status.lastRun
            switch flag {
            case .inProgress:
                notes.append("\(unit): run \(run?.runId ?? 0) in progress since \(run?.startedAt ?? "?") (a session holds the unit's lock)")
            case .possiblyCrashed:
                notes.append(
                    "\(unit): POSSIBLY CRASHED: run \(run?.runId ?? 0), started \(run?.startedAt ?? "?"), is still 'running' "
                        + "but no session holds the unit's lock; it was killed or lost its connection, and the next sync "
                        + "carries on after its last committed batch")
            case .noCheckpoint:
                notes.append("\(unit): has runs but no checkpoint (no batch was ever committed); the next sync reads from the start")
            }
        }
        if let error = status.lastError {
            let resolved = error.resolved ? ", a later run succeeded" : ""
            notes.append(
                "\(unit): last error in run \(error.runId) (\(error.status), started \(error.startedAt)\(resolved)): \(error.firstLine)")
        }
        return notes
    }

    private static func runJSON(_ run: StatusReader.Run) -> String {
        JSONText.object([
            ("run_id", String(run.runId)), ("kind", JSONText.string(run.kind)), ("status", JSONText.string(run.status)),
            ("started_at", iso(run.startedAt)), ("finished_at", run.finishedAt.map(iso) ?? "null"),
            ("seconds", run.seconds.map { JSONText.number(($0 * 10).rounded() / 10) } ?? "null"),
            ("inserted", String(run.inserted)), ("updated", String(run.updated)), ("unchanged", String(run.unchanged)),
            ("deleted", String(run.deleted)), ("batches", String(run.batches)),
        ])
    }

    /// `YYYY-MM-DD HH:MM:SS` (UTC) as an ISO 8601 JSON string.
    private static func iso(_ utc: String) -> String {
        JSONText.string(utc.replacingOccurrences(of: " ", with: "T") + "Z")
    }
}

/// A condition of a unit worth flagging, named as `--json` reports it.
enum StatusFlag: String {
    /// The last run is open and its lock is held: a run is going on now.
    case inProgress = "in_progress"
    /// The last run is open but nobody holds its lock: the process died without closing it.
    case possiblyCrashed = "possibly_crashed"
    /// Runs are recorded but no batch ever committed a checkpoint.
    case noCheckpoint = "no_checkpoint"

    static func flags(of status: StatusReader.UnitState) -> [StatusFlag] {
        var flags: [StatusFlag] = []
        if status.lastRun?.status == "running" { flags.append(status.lockHeld ? .inProgress : .possiblyCrashed) }
        if status.checkpoint == nil, status.lastRun != nil, !flags.contains(.inProgress) { flags.append(.noCheckpoint) }
        return flags
    }
}

/// Durations as people read them: the two largest units.
enum StatusDuration {
    /// How far the checkpoint trails the warehouse's clock; a checkpoint ahead of it (clocks apart)
    /// reads as no lag.
    static func lag(_ seconds: Int64) -> String {
        let value = max(0, seconds)
        let days = value / 86_400
        let hours = value % 86_400 / 3_600
        let minutes = value % 3_600 / 60
        let rest = value % 60
        if days > 0 { return "\(days)d \(hours)h" }
        if hours > 0 { return "\(hours)h \(minutes)m" }
        if minutes > 0 { return "\(minutes)m \(rest)s" }
        return "\(rest)s"
    }

    /// How long a run took: tenths of a second below a minute.
    static func run(_ seconds: Double) -> String {
        seconds < 60 ? String(format: "%.1fs", max(0, seconds)) : lag(Int64(seconds.rounded()))
    }
}
