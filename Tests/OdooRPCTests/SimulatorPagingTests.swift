import ETLModel
import Foundation
import OdooRPC
import TestSupport
import XCTest
import XMLRPC

/// The second-bucket reader against the Odoo simulator, whose `write_date` behaves as a real
/// Odoo's: stored with microseconds, sent in whole seconds, compared in domains with the stored value.
final class SimulatorPagingTests: SimulatorTestCase {
    private let model = "hr.expense"

    private func reader(
        _ client: OdooClient, pageSize: Int, companyID: Int64? = nil, checkpoint: Checkpoint? = nil,
        until: OdooDateTime? = nil
    ) -> IncrementalReader {
        IncrementalReader(
            client: client,
            configuration: ExtractionRequest(
                model: model, fields: ["name", "company_id", "total_amount"], companyID: companyID, checkpoint: checkpoint,
                until: until, pageSize: pageSize))
    }

    /// Every id of the model, archived included, by the simulator's own count and by id paging.
    private func allIds(_ client: OdooClient, expectedCount: Int) throws -> Set<Int64> {
        let ids = try client.allIds(model: model, context: .extraction(), pageSize: 20_000)
        XCTAssertEqual(ids.count, expectedCount)
        XCTAssertEqual(Set(ids).count, ids.count)
        return Set(ids)
    }

    private func assertExactlyOnce(_ batches: [OdooBatch], equal expected: Set<Int64>, file: StaticString = #filePath, line: UInt = #line) {
        let delivered = batches.flatMap { $0.records.map(\.id) }
        XCTAssertEqual(delivered.count, expected.count, "delivered count", file: file, line: line)
        XCTAssertEqual(Set(delivered), expected, "delivered ids", file: file, line: line)
    }

    /// Checkpoints never go backwards and each covers the rows of its batch: a row of an earlier
    /// second, or of the checkpoint's second with an id at most the checkpoint's.
    private func assertCheckpointsAreSafe(_ batches: [OdooBatch], file: StaticString = #filePath, line: UInt = #line) {
        var previous = Checkpoint.beginning
        for batch in batches {
            XCTAssertGreaterThanOrEqual(batch.checkpoint, previous, file: file, line: line)
            for record in batch.records {
                let stamp = Checkpoint(second: record.writeDate ?? OdooDateTime(seconds: 0), id: record.id)
                XCTAssertLessThanOrEqual(
                    stamp, batch.checkpoint, "every delivered row is covered by its batch's checkpoint",
                    file: file, line: line)
                XCTAssertGreaterThanOrEqual(stamp.second, previous.second, file: file, line: line)
            }
            previous = batch.checkpoint
        }
    }

    func testHundredThousandRecordsComeBackExactlyOnce() throws {
        let simulator = try simulator
        try simulator.reseed(expenses: 100_000, burst: 5_000)
        let client = try client()
        let expected = try allIds(client, expectedCount: try simulator.totals(model: model, field: "total_amount").total.count)
        XCTAssertEqual(expected.count, 100_000)

        let started = Date()
        let reader = reader(client, pageSize: 5_000)
        let batches = try readAll(reader)
        let seconds = Date().timeIntervalSince(started)
        assertExactlyOnce(batches, equal: expected)
        assertCheckpointsAreSafe(batches)
        let newest = batches.flatMap(\.records).compactMap(\.writeDate).max()
        XCTAssertEqual(reader.checkpoint.second, newest?.wholeSecond)
        // About two queries per 5,000 rows: bucket reads and jumps, plus the burst's second.
        XCTAssertLessThanOrEqual(reader.queryCount, 2 * 100_000 / 5_000 + 4)
        print("100k expenses: \(batches.count) batches, \(reader.queryCount) queries, \(String(format: "%.1f", seconds)) s")
    }

    func testFiveThousandRecordsInOneSecondWithPagesOfAThousand() throws {
        let simulator = try simulator
        try simulator.reseed(expenses: 8_000, burst: 5_000)
        let client = try client()
        let expected = try allIds(client, expectedCount: 8_000)
        let secondSizes = Dictionary(
            grouping: try client.searchRead(model: model, fields: ["write_date"], context: .extraction()),
            by: { $0.writeDate?.wholeSecond }
        ).mapValues(\.count)
        XCTAssertGreaterThanOrEqual(secondSizes.values.max() ?? 0, 5_000, "the burst shares one second")

        let reader = reader(try self.client(), pageSize: 1_000)
        var batches: [OdooBatch] = []
        while let batch = try reader.next() { batches.append(batch) }
        assertExactlyOnce(batches, equal: expected)
        assertCheckpointsAreSafe(batches)
    }

    func testPageBoundariesInsideASecond() throws {
        let simulator = try simulator
        try simulator.reseed(expenses: 300, burst: 0)
        let early = try simulator.create(model: model, count: 7, companyID: 1, at: "2025-06-01 12:00:00.250000")
        let late = try simulator.create(model: model, count: 5, companyID: 2, at: "2025-06-01 12:00:00.750000")
        let client = try client()
        let expected = try allIds(client, expectedCount: 312)

        let batches = try readAll(reader(client, pageSize: 5))
        assertExactlyOnce(batches, equal: expected)
        assertCheckpointsAreSafe(batches)
        let second = try XCTUnwrap(OdooDateTime("2025-06-01 12:00:00"))
        let sameSecond = batches.filter { $0.records.contains { $0.writeDate == second } }
        XCTAssertGreaterThanOrEqual(sameSecond.count, 3, "twelve rows of one second need three pages of five")
        XCTAssertEqual(
            Set(sameSecond.flatMap(\.records).filter { $0.writeDate == second }.map { Int($0.id) }),
            Set(early.ids + late.ids))
    }

    func testRecordsWrittenDuringPagingAreNeverSkipped() throws {
        let simulator = try simulator
        try simulator.reseed(expenses: 20_000, burst: 0)
        let client = try client()
        let expected = try allIds(client, expectedCount: 20_000)
        let writer = try self.client()
        var delivered: Set<Int64> = []
        var rewritten: [Int64: String] = [:]
        var batchNumber = 0

        let batches = try readAll(reader(client, pageSize: 2_000)) { batch in
            batchNumber += 1
            delivered.formUnion(batch.records.map(\.id))
            guard batchNumber <= 4 else { return }
            // Rows already delivered and rows still ahead, changed between two pages over XML-RPC.
            let behind = Array(batch.records.map(\.id).prefix(5))
            let ahead = Array(expected.subtracting(delivered).sorted().prefix(5))
            let name = "rewritten during batch \(batchNumber)"
            _ = try writer.executeKw(
                model: self.model, method: "write", args: [.array((behind + ahead).map { .int($0) }), ["name": .string(name)]])
            for id in behind + ahead { rewritten[id] = name }
        }

        let ids = batches.flatMap { $0.records.map(\.id) }
        XCTAssertEqual(Set(ids), expected, "none skipped")
        let counts = Dictionary(grouping: ids, by: { $0 }).mapValues(\.count)
        for (id, count) in counts where count > 1 {
            XCTAssertNotNil(rewritten[id], "only rewritten records may come again, not \(id)")
        }
        XCTAssertGreaterThan(counts.values.filter { $0 > 1 }.count, 0, "rows written after delivery come again")
        // The last version delivered of every rewritten row is the rewritten one.
        var latest: [Int64: OdooValue] = [:]
        for record in batches.flatMap(\.records) { latest[record.id] = record["name"] }
        for (id, name) in rewritten {
            XCTAssertEqual(latest[id], .string(name), "record \(id)")
        }
    }

    func testCompanyScopeReadsOnlyThatCompany() throws {
        let simulator = try simulator
        try simulator.reseed(expenses: 3_000, burst: 0)
        let totals = try simulator.totals(model: model, field: "total_amount")
        let client = try client()
        let batches = try readAll(reader(client, pageSize: 500, companyID: 2))
        let records = batches.flatMap(\.records)
        XCTAssertEqual(records.count, totals.groups["2"]?.count)
        XCTAssertTrue(records.allSatisfy { if case .many2one(2, _) = $0["company_id"] { return true } else { return false } })
    }

    func testAnEmptyModelAndANothingNewRunEndAtOnce() throws {
        let simulator = try simulator
        try simulator.reseed(expenses: 200, burst: 0)
        let client = try client()
        let first = reader(client, pageSize: 1_000)
        let batches = try readAll(first)
        XCTAssertEqual(batches.flatMap(\.records).count, 200)

        let again = reader(client, pageSize: 1_000, checkpoint: first.checkpoint)
        XCTAssertNil(try again.next(), "nothing changed since the checkpoint")
        XCTAssertEqual(again.queryCount, 2)
        XCTAssertEqual(again.checkpoint, first.checkpoint)

        let empty = IncrementalReader(
            client: client,
            configuration: .init(
                model: "hr.expense", fields: ["name"],
                domain: .leaf("id", "<", 0)))
        XCTAssertNil(try empty.next())
        XCTAssertEqual(empty.checkpoint, .beginning)
    }

    func testLookbackRereadsLateCommitsOfALongTransaction() throws {
        let simulator = try simulator
        try simulator.reseed(expenses: 200, burst: 0)
        try simulator.setClock("2026-01-01 10:00:00")
        let transaction = try simulator.beginTransaction(at: "2026-01-01 09:59:30")
        let late = try simulator.create(inTransaction: transaction, model: model, count: 3, companyID: 1)
        _ = try simulator.create(model: model, count: 2, companyID: 1, at: "2026-01-01 10:00:00")
        let client = try client()
        let first = reader(client, pageSize: 100)
        _ = try readAll(first)
        try simulator.commit(transaction: transaction)

        let withoutLookback = try readAll(reader(client, pageSize: 100, checkpoint: first.checkpoint))
        XCTAssertEqual(withoutLookback.flatMap(\.records).count, 0, "the late rows are older than the checkpoint")
        let withLookback = IncrementalReader(
            client: client,
            configuration: .init(
                model: model, fields: ["name"], checkpoint: first.checkpoint, lookbackSeconds: 60, pageSize: 100))
        let reread = Set(try readAll(withLookback).flatMap(\.records).map(\.id))
        XCTAssertTrue(Set(late.map(Int64.init)).isSubset(of: reread))
    }

    func testSimulatedValuesAreTypedLikeRealOnes() throws {
        let simulator = try simulator
        try simulator.reseed(partners: 300, expenses: 200, burst: 0)
        let client = try client()
        let partners = try client.searchRead(model: "res.partner", fields: ["partner_gid", "company_id", "active"], context: .extraction())
        let bigIds = partners.compactMap { record -> Int64? in
            if case .int(let value) = record["partner_gid"], value > Int64(Int32.max) { return value }
            return nil
        }
        XCTAssertFalse(bigIds.isEmpty, "partner_gid above 2^31 arrives as <double> and decodes to an exact int")
        XCTAssertTrue(partners.contains { $0["company_id"] == .null }, "shared partners have no company")
        XCTAssertTrue(partners.contains { $0["active"] == .bool(false) }, "archived partners come with active_test False")

        let expenses = try client.searchRead(model: model, fields: ["analytic_distribution", "tax_ids", "date", "employee_id"], limit: 50)
        XCTAssertTrue(
            expenses.contains {
                if case .json(let text) = $0["analytic_distribution"] { return text.hasPrefix("{\"") } else { return false }
            })
        XCTAssertTrue(expenses.allSatisfy { if case .ids = $0["tax_ids"] { return true } else { return false } })
        XCTAssertTrue(expenses.allSatisfy { if case .date = $0["date"] { return true } else { return false } })
        XCTAssertTrue(expenses.allSatisfy { if case .many2one = $0["employee_id"] { return true } else { return false } })
    }

    /// The textbook keyset `(write_date > w) or (write_date = w and id > i)` against stored
    /// microseconds: `=` matches nothing, `>` matches second w again, so the same page comes back
    /// for ever. Capped at ten queries; the second-bucket reader finishes the same rows.
    func testTheTextbookKeysetLoopsWhereSecondBucketsFinish() throws {
        let simulator = try simulator
        try simulator.reseed(expenses: 100, burst: 0)
        let burst = try simulator.create(model: model, count: 12, companyID: 1, at: "2025-06-01 12:00:00.250000")
        let client = try client()
        let before = "2025-06-01 11:59:59"
        let end = "2025-06-01 12:00:01"
        let window = OdooDomain.leaf("write_date", "<", .string(end))

        var w = before
        var i: Int64 = 0
        var pages: [[Int64]] = []
        for _ in 0..<10 {
            let keyset: OdooDomain =
                .leaf("write_date", ">", .string(w)) || (.leaf("write_date", "=", .string(w)) && .leaf("id", ">", .int(i)))
            let page = try client.searchRead(
                model: model, domain: window && keyset, fields: ["write_date"],
                order: "write_date asc, id asc", limit: 5, context: .extraction())
            guard let last = page.last, let stamp = last.writeDate else { break }
            pages.append(page.map(\.id))
            w = stamp.description
            i = last.id
        }
        XCTAssertEqual(pages.count, 10, "the textbook keyset never runs out of pages")
        XCTAssertTrue(pages.dropFirst().allSatisfy { $0 == pages[1] }, "it returns the same page again and again")
        XCTAssertLessThan(Set(pages.joined()).count, burst.ids.count, "and never reaches the rest of the second")

        let reader = reader(
            client, pageSize: 5, checkpoint: Checkpoint(second: OdooDateTime(before)!, id: 0),
            until: OdooDateTime(end))
        let delivered = try readAll(reader).flatMap(\.records).map { Int($0.id) }
        XCTAssertEqual(delivered.sorted(), burst.ids.sorted())
        XCTAssertLessThanOrEqual(reader.queryCount, 6)
    }
}
