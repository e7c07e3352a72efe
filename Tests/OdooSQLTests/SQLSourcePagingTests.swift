import ETLModel
import Foundation
import Postgres
import TestSupport
import XCTest

@testable import OdooSQL

/// The SQL source's paging on a real Odoo 18 table layout: every row exactly once, and every
/// checkpoint keeping the XML-RPC promise (all seconds before S, ids ≤ i of S), so that a run
/// resumed from any checkpoint, by either source, neither skips nor repeats what was promised.
final class SQLSourcePagingTests: XCTestCase {
    nonisolated(unsafe) private static var database: (url: String, connection: PostgresConnection)!
    /// Stored (write_date, id) of company 1's expenses, in the source's order.
    nonisolated(unsafe) private static var rows: [SQLSourceKey] = []

    override class func setUp() {
        super.setUp()
        do {
            database = try ExpenseLayoutSeed.create()
            rows = try database.connection.query(
                """
                SELECT id, to_char(write_date, 'YYYY-MM-DD HH24:MI:SS.US') AS w FROM hr_expense
                WHERE company_id = 1 ORDER BY write_date, id
                """
            ).rows.map { SQLSourceKey(writeDate: OdooDateTime(try $0.string("w")!)!, id: try $0.int("id")!) }
        } catch {
            XCTFail("could not seed the Odoo layout database: \(error)")
        }
    }

    /// Small windows and pages, so that the 1,450-row second spans windows and pages.
    private func reader(
        from checkpoint: Checkpoint? = nil, batch: Int = 100, rowsPerTransaction: Int = 400,
        keysPerWindow: Int = 700
    ) throws -> SQLSourceReader {
        let configuration = ExtractionRequest(
            model: "hr.expense", fields: ["name", "write_date"], companyID: 1,
            checkpoint: checkpoint, pageSize: batch)
        return try SQLSourceReader(
            databaseURL: Self.database.url, configuration: configuration,
            fields: try Captures.fields18("hr_expense"),
            options: SQLSourceReader.Options(
                rowsPerTransaction: rowsPerTransaction,
                keysPerWindow: keysPerWindow))
    }

    private func drain(_ reader: SQLSourceReader) throws -> [OdooBatch] {
        var batches: [OdooBatch] = []
        while let batch = try reader.next() { batches.append(batch) }
        return batches
    }

    /// What checkpoint `c` promises is delivered.
    private func promised(by checkpoint: Checkpoint) -> Set<Int64> {
        Set(
            Self.rows.filter { $0.second < checkpoint.second.seconds || ($0.second == checkpoint.second.seconds && $0.id <= checkpoint.id) }
                .map(\.id))
    }

    func testEveryRowComesOnceAndEveryCheckpointKeepsItsPromise() throws {
        let reader = try reader()
        let batches = try drain(reader)
        let delivered = batches.flatMap { $0.records.map(\.id) }
        XCTAssertEqual(delivered.count, Self.rows.count, "no row twice")
        XCTAssertEqual(Set(delivered), Set(Self.rows.map(\.id)), "no row missed")
        var seen = Set<Int64>()
        var previous = Checkpoint.beginning
        for batch in batches {
            XCTAssertFalse(batch.records.isEmpty)
            XCTAssertLessThanOrEqual(batch.records.count, 100)
            seen.formUnion(batch.records.map(\.id))
            XCTAssertGreaterThanOrEqual(batch.checkpoint, previous, "checkpoints never go back")
            previous = batch.checkpoint
            let missing = promised(by: batch.checkpoint).subtracting(seen)
            XCTAssertTrue(missing.isEmpty, "checkpoint \(batch.checkpoint) promises \(missing.sorted().prefix(5)) not yet delivered")
        }
        let last = Self.rows.last!
        let lastSecondIDs = Self.rows.filter { $0.second == last.second }.map(\.id)
        XCTAssertEqual(
            reader.checkpoint, Checkpoint(second: OdooDateTime(seconds: last.second), id: lastSecondIDs.max()!),
            "a finished run ends where the XML-RPC reader ends: the last second and its largest id")
        XCTAssertGreaterThan(
            reader.transactionCount, Self.rows.count / 400 + Self.rows.count / 700,
            "windows of at most 700 keys and pages of at most 400 rows, one transaction each")
    }

    func testResumingFromAnyCheckpointDeliversExactlyWhatWasNotPromised() throws {
        let batches = try drain(try reader())
        var deliveredBefore = Set<Int64>()
        for (index, batch) in batches.enumerated() {
            deliveredBefore.formUnion(batch.records.map(\.id))
            guard index % 3 == 0 || index == batches.count - 1 else { continue }
            let checkpoint = batch.checkpoint
            let resumed = try drain(try reader(from: checkpoint, batch: 250, rowsPerTransaction: 300, keysPerWindow: 900))
                .flatMap { $0.records.map(\.id) }
            let promise = promised(by: checkpoint)
            XCTAssertEqual(Set(resumed).union(promise), Set(Self.rows.map(\.id)), "resuming from \(checkpoint) leaves a gap")
            XCTAssertTrue(Set(resumed).isDisjoint(with: promise), "resuming from \(checkpoint) repeats promised rows")
            XCTAssertEqual(resumed.count, Set(resumed).count, "a resumed run delivers each row once")
            // Rows delivered but not promised can only be of the checkpoint's own second.
            let repeated = deliveredBefore.intersection(resumed)
            let seconds = Set(Self.rows.filter { repeated.contains($0.id) }.map(\.second))
            XCTAssertTrue(seconds.isSubset(of: [checkpoint.second.seconds]), "repeats outside second \(checkpoint.second)")
        }
    }

    func testALookbackStartsAWholeWindowEarlier() throws {
        let start = Checkpoint(second: OdooDateTime("2025-02-01 10:00:00")!, id: 1500)
        let configuration = ExtractionRequest(
            model: "hr.expense", fields: ["name"], companyID: 1,
            checkpoint: start, lookbackSeconds: 3600, pageSize: 500)
        let reader = try SQLSourceReader(
            databaseURL: Self.database.url, configuration: configuration,
            fields: try Captures.fields18("hr_expense"))
        let delivered = Set(try drain(reader).flatMap { $0.records.map(\.id) })
        let from = start.second.adding(seconds: -3600).seconds
        XCTAssertEqual(delivered, Set(Self.rows.filter { $0.second >= from }.map(\.id)))
        XCTAssertEqual(try reader.remainingCount(), delivered.count)
    }

    func testRowsThatChangeBetweenTheirWindowAndTheirPageAreReadAsTheyAreThen() throws {
        let (url, connection) = try ExpenseLayoutSeed.create()
        let configuration = ExtractionRequest(model: "hr.expense", fields: ["name"], companyID: 1, pageSize: 100)
        let reader = try SQLSourceReader(
            databaseURL: url, configuration: configuration, fields: try Captures.fields18("hr_expense"),
            options: SQLSourceReader.Options(rowsPerTransaction: 200, keysPerWindow: 5000))
        var delivered: [Int64: [OdooValue]] = [:]
        func take(_ batch: OdooBatch) {
            for record in batch.records { delivered[record.id, default: []].append(record["name"]) }
        }
        take(try XCTUnwrap(try reader.next()))
        // After the window listed every key, before the pages of these rows were read:
        try connection.execute(
            script: """
                DELETE FROM hr_expense WHERE id BETWEEN 901 AND 904;
                UPDATE hr_expense SET company_id = 2 WHERE id = 601;
                UPDATE hr_expense SET name = 'Changed', write_date = '2031-01-01 00:00:00' WHERE id = 501;
                """)
        while let batch = try reader.next() { take(batch) }

        XCTAssertNil(delivered[902], "a deleted row is not delivered")
        XCTAssertNil(delivered[601], "a row that no longer matches the unit is not delivered")
        XCTAssertEqual(delivered[501], [.string("Changed")], "a changed row comes as it is now, at its old place")
        let expected = Set(Self.rows.map(\.id)).subtracting([901, 902, 903, 904, 601])
        XCTAssertEqual(Set(delivered.keys), expected)
        XCTAssertTrue(delivered.allSatisfy { $0.value.count == 1 }, "every row once")

        var next = configuration
        next.checkpoint = reader.checkpoint
        let following = try SQLSourceReader(databaseURL: url, configuration: next, fields: try Captures.fields18("hr_expense"))
        XCTAssertEqual(try following.next()?.records.map(\.id), [501], "its new write_date puts it in the next run")
    }

    func testBatchesEndAtSecondBoundariesWhenTheyCan() {
        func key(_ second: Int64, _ micro: Int64, _ id: Int64) -> SQLSourceKey {
            SQLSourceKey(writeDate: OdooDateTime(microseconds: second * 1_000_000 + micro), id: id)
        }
        let keys = [key(10, 5, 9), key(10, 7, 2), key(11, 1, 8), key(11, 2, 3), key(11, 3, 5), key(12, 0, 1)]
        XCTAssertEqual(SQLSourcePaging.batchEnd(keys, from: 0, limit: 4), 2, "cut back to the boundary before second 11")
        XCTAssertEqual(SQLSourcePaging.batchEnd(keys, from: 2, limit: 2), 4, "second 11 is larger than the batch: cut inside")
        XCTAssertEqual(SQLSourcePaging.batchEnd(keys, from: 0, limit: 10), 6)

        let (inside, carried) = SQLSourcePaging.checkpoint(keys, start: 2, end: 4, beyondPage: nil, carried: nil)
        XCTAssertEqual(
            inside, Checkpoint(second: OdooDateTime(seconds: 11), id: 4),
            "inside second 11 the promise stops below its smallest undelivered id (5)")
        let (end, _) = SQLSourcePaging.checkpoint(keys, start: 4, end: 5, beyondPage: nil, carried: carried)
        XCTAssertEqual(end, Checkpoint(second: OdooDateTime(seconds: 11), id: 8), "second 11 complete: its largest id")

        XCTAssertEqual(SQLSourcePaging.kept(keys, limit: 6).count, 5, "a full page gives back its last second")
        XCTAssertEqual(
            SQLSourcePaging.kept(Array(keys[2..<5]), limit: 3).lastSecondContinues, true,
            "a page that is one second may continue past its end")
        XCTAssertEqual(SQLSourcePaging.kept(keys, limit: 7).count, 6, "a short page is the end: all of it")
        let (giant, _) = SQLSourcePaging.checkpoint(Array(keys[2..<5]), start: 0, end: 3, beyondPage: 4, carried: nil)
        XCTAssertEqual(giant.id, 3, "an undelivered id past the page bounds the promise too")
    }
}
