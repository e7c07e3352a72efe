import Foundation
import TestSupport
import XCTest

/// Every record of every pipeline as the simulator stores it at one moment. Taken once and reused
/// while Odoo does not change, so the checks after each of twenty kills do not re-read 100k records.
struct OdooSnapshot {
    let records: [String: [OdooRecord]]

    static func take(_ simulator: OdooSimulator) throws -> OdooSnapshot {
        var records: [String: [OdooRecord]] = [:]
        for expectation in PipelineExpectation.all {
            records[expectation.pipeline] = try expectation.records(in: simulator)
        }
        return OdooSnapshot(records: records)
    }

    var count: Int { records.values.map(\.count).reduce(0, +) }
}

/// A warehouse measured against the simulator's data after chaos. The numbers of the report line
/// are counted here from both sides, never assumed: each Odoo record and each warehouse row is
/// reduced to a hash of the compared columns (company, id, write_date second, active, money in
/// cents), and the two sets are compared row by row, table by table.
struct ChaosAudit {
    var recordsCompared = 0
    /// Records Odoo has that no live row holds (never loaded, or wrongly soft-deleted).
    var missing = 0
    /// Live rows whose hash differs from their Odoo record's: an update that was lost.
    var stale = 0
    /// Rows beyond the first holding one Odoo id in one table.
    var duplicated = 0
    /// Live rows of records Odoo does not have (an unlink not reconciled, or a phantom).
    var extra = 0
    var checkpointsChecked = 0
    /// Records covered by a checkpoint but absent from a table of its pipeline: a checkpoint ahead of its data.
    var behindCheckpoints = 0
    var examples: [String] = []

    var rowsLost: Int { missing + stale }
    var isClean: Bool { rowsLost == 0 && duplicated == 0 && extra == 0 && behindCheckpoints == 0 }

    var summary: String {
        "\(recordsCompared) records compared: \(missing) missing, \(stale) stale, \(duplicated) duplicated, \(extra) extra; "
            + "\(checkpointsChecked) checkpoints, \(behindCheckpoints) records behind them"
    }

    /// Rows, duplicates and checkpoints, all at once.
    static func measure(_ odoo: OdooSnapshot, _ warehouse: WarehouseInspector) throws -> ChaosAudit {
        var audit = ChaosAudit()
        try audit.compareRows(odoo, warehouse)
        try audit.countDuplicates(warehouse)
        try audit.checkCheckpoints(odoo, warehouse)
        return audit
    }

    /// Only what must hold at every instant, even right after a SIGKILL: no duplicates, no
    /// checkpoint ahead of its data.
    static func measureInvariants(_ odoo: OdooSnapshot, _ warehouse: WarehouseInspector) throws -> ChaosAudit {
        var audit = ChaosAudit()
        try audit.countDuplicates(warehouse)
        try audit.checkCheckpoints(odoo, warehouse)
        return audit
    }

    mutating func add(_ other: ChaosAudit) {
        recordsCompared += other.recordsCompared
        missing += other.missing
        stale += other.stale
        duplicated += other.duplicated
        extra += other.extra
        checkpointsChecked += other.checkpointsChecked
        behindCheckpoints += other.behindCheckpoints
        examples += other.examples.prefix(max(0, 24 - examples.count))
    }

    // MARK: - Row by row

    private mutating func compareRows(_ odoo: OdooSnapshot, _ warehouse: WarehouseInspector) throws {
        for expectation in PipelineExpectation.all {
            let records = odoo.records[expectation.pipeline] ?? []
            for table in expectation.tables {
                let moneyColumns = table.money.keys.sorted()
                var expected: [String: UInt64] = [:]
                for record in records where table.includes(record) {
                    var cells = [
                        record.writeSecond, table.hasActive ? (record.values["active"] as? Bool).map { $0 ? "true" : "false" } : nil,
                    ]
                    cells += moneyColumns.map { column in record.cents(table.money[column]!).map(String.init) }
                    expected[record.key] = Self.hash(cells)
                }
                let selected =
                    [
                        "coalesce(company_id::text, 'null') || '/' || odoo_id", "odoo_write_date::text",
                        table.hasActive ? "active::text" : "NULL",
                    ] + moneyColumns.map { "round(\($0) * 100)::bigint::text" }
                var live: [String: UInt64] = [:]
                for row in try warehouse.rows("SELECT \(selected.joined(separator: ", ")) FROM \(table.name) WHERE deleted_at IS NULL") {
                    guard let key = row[0] else { continue }
                    live[key] = Self.hash(Array(row.dropFirst()))
                }
                recordsCompared += expected.count
                for (key, hash) in expected {
                    guard let found = live[key] else {
                        missing += 1
                        note("\(table.name) lacks \(key)")
                        continue
                    }
                    if found != hash {
                        stale += 1
                        note("\(table.name) holds another version of \(key)")
                    }
                }
                for key in live.keys where expected[key] == nil {
                    extra += 1
                    note("\(table.name) has a live row for \(key), which Odoo does not have")
                }
            }
        }
    }

    private mutating func countDuplicates(_ warehouse: WarehouseInspector) throws {
        for table in PipelineExpectation.all.flatMap(\.tables) {
            for row in try warehouse.rows("SELECT odoo_id::text, count(*)::text FROM \(table.name) GROUP BY odoo_id HAVING count(*) > 1") {
                duplicated += (Int(row[1] ?? "1") ?? 1) - 1
                note("\(table.name) holds odoo_id \(row[0] ?? "?") \(row[1] ?? "?") times")
            }
        }
    }

    // MARK: - Checkpoints

    /// For each unit's `(write_date second, id)` cursor in `etl.sync_state`, every record it covers
    /// must be live in each table of its pipeline.
    private mutating func checkCheckpoints(_ odoo: OdooSnapshot, _ warehouse: WarehouseInspector) throws {
        let cursors = try warehouse.rows(
            """
            SELECT pipeline, coalesce(company_id::text, 'null'), to_char(cursor_write_date, 'YYYY-MM-DD HH24:MI:SS'), cursor_id::text
            FROM etl.sync_state
            """)
        var loaded: [String: Set<String>] = [:]
        for cursor in cursors {
            guard let pipeline = cursor[0], let company = cursor[1], let second = cursor[2],
                let id = cursor[3].flatMap({ Int($0) })
            else { continue }
            checkpointsChecked += 1
            let expectation = PipelineExpectation.named(pipeline)
            let covered = (odoo.records[pipeline] ?? []).filter {
                (company == "null" || $0.company == company) && $0.isCovered(bySecond: second, id: id)
            }
            for table in expectation.tables {
                if loaded[table.name] == nil {
                    loaded[table.name] = Set(
                        try warehouse.rows(
                            """
                            SELECT coalesce(company_id::text, 'null') || '/' || odoo_id FROM \(table.name) WHERE deleted_at IS NULL
                            """
                        ).compactMap { $0[0] })
                }
                for record in covered where table.includes(record) && !loaded[table.name]!.contains(record.key) {
                    behindCheckpoints += 1
                    note("\(pipeline) company \(company) is at (\(second), \(id)) but \(table.name) lacks \(record.key)")
                }
            }
        }
    }

    // MARK: -

    private mutating func note(_ example: String) {
        if examples.count < 24 { examples.append(example) }
    }

    /// FNV-1a over the cells, each NULL distinct from every text.
    static func hash(_ cells: [String?]) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for cell in cells {
            for byte in (cell.map { "v" + $0 } ?? "n").utf8 + [0x1F] {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01B3
            }
        }
        return hash
    }
}

/// Live rows of every pipeline table, all columns but `synced_at`, against a warehouse that one
/// uninterrupted sync of the same Odoo loaded.
struct ReferenceComparison {
    var rowsCompared = 0
    var differing = 0
    var examples: [String] = []

    static func compare(_ warehouse: WarehouseInspector, with reference: WarehouseInspector) throws -> ReferenceComparison {
        var result = ReferenceComparison()
        for table in PipelineExpectation.all.flatMap(\.tables) {
            let mine = try warehouse.snapshot(table.name, excluding: ["synced_at"], where: "deleted_at IS NULL")
            let theirs = try reference.snapshot(table.name, excluding: ["synced_at"], where: "deleted_at IS NULL")
            let difference = SnapshotDifference(before: theirs, after: mine)
            result.rowsCompared += theirs.count
            let count = difference.added.count + difference.removed.count + difference.changed.count
            result.differing += count
            if count > 0, result.examples.count < 12 { result.examples.append("\(table.name): \(difference)") }
        }
        return result
    }
}
