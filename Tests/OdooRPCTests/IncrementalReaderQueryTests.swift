import ETLModel
import Foundation
import OdooRPC
import XCTest
import XMLRPC

/// The exact queries of the second-bucket algorithm (ARCHITECTURE.md §4), the batches and the
/// checkpoints it derives from scripted answers.
final class IncrementalReaderQueryTests: ReplayTestCase {
    private let userDomain = OdooDomain.leaf("state", "!=", "draft")
    private let until = OdooDateTime("2025-02-01 00:00:00")!

    private func at(_ text: String) -> OdooDateTime { OdooDateTime(text)! }

    /// authenticate and fields_get, which every reader asks first.
    private func enqueueSetup() {
        server.enqueueValue(2)
        server.enqueueValue([
            "name": ["type": "char", "string": "Name", "store": true],
            "write_date": ["type": "datetime", "string": "Last Updated on", "store": true],
        ])
    }

    private func enqueueRows(_ rows: [(Int64, String)]) {
        server.enqueueValue(.array(rows.map { ["id": .int($0.0), "name": .string("r\($0.0)"), "write_date": .string($0.1)] }))
    }

    private func configuration(checkpoint: Checkpoint? = nil, lookback: Int64 = 0, pageSize: Int = 3) -> ExtractionRequest {
        ExtractionRequest(
            model: "hr.expense", fields: ["name"], domain: userDomain, companyID: 1,
            checkpoint: checkpoint, lookbackSeconds: lookback, until: until, pageSize: pageSize)
    }

    private func finishSecond(_ second: String, after id: Int64) -> OdooDomain {
        .and([
            userDomain, .leaf("write_date", ">=", .datetime(at(second))),
            .leaf("write_date", "<", .datetime(at(second).adding(seconds: 1))),
            .leaf("id", ">", .int(id)), .leaf("write_date", "<", .datetime(until)), .leaf("company_id", "=", 1),
        ])
    }

    private func jumpAhead(after second: String) -> OdooDomain {
        .and([
            userDomain, .leaf("write_date", ">=", .datetime(at(second).adding(seconds: 1))),
            .leaf("write_date", "<", .datetime(until)), .leaf("company_id", "=", 1),
        ])
    }

    /// The domain and order of every search_read sent so far.
    private func queries() throws -> [(domain: XMLRPCValue, order: XMLRPCValue?)] {
        try server.calls().filter { $0.params.count > 4 && $0.params[4] == "search_read" }.map { call in
            (call.params[5][index: 0] ?? .nil, call.params[6][member: "order"])
        }
    }

    private func script() {
        enqueueSetup()
        enqueueRows([])  // 1: second 0 of the epoch
        enqueueRows([(5, "2025-01-01 10:00:00"), (2, "2025-01-01 10:00:01"), (9, "2025-01-01 10:00:01")])  // 2: full, T = :01
        enqueueRows([(2, "2025-01-01 10:00:01"), (7, "2025-01-01 10:00:01"), (9, "2025-01-01 10:00:01")])  // 3: full
        enqueueRows([(11, "2025-01-01 10:00:01")])  // 4: not full
        enqueueRows([(4, "2025-01-01 10:00:05"), (3, "2025-01-01 10:00:05")])  // 5: not full: the end
    }

    private let expectedBatches: [([Int64], Checkpoint)] = [
        ([5], Checkpoint(second: OdooDateTime("2025-01-01 10:00:01")!, id: 0)),
        ([2, 7, 9], Checkpoint(second: OdooDateTime("2025-01-01 10:00:01")!, id: 9)),
        ([11], Checkpoint(second: OdooDateTime("2025-01-01 10:00:01")!, id: 11)),
        ([4, 3], Checkpoint(second: OdooDateTime("2025-01-01 10:00:05")!, id: 4)),
    ]

    func testFirstRunWalksTheSecondBucketsExactly() throws {
        script()
        let reader = IncrementalReader(client: client(), configuration: configuration())
        XCTAssertEqual(reader.checkpoint, .beginning)
        var batches: [OdooBatch] = []
        while let batch = try reader.next() { batches.append(batch) }
        XCTAssertNil(try reader.next(), "a finished reader stays finished")

        XCTAssertEqual(batches.map { $0.records.map(\.id) }, expectedBatches.map(\.0))
        XCTAssertEqual(batches.map(\.checkpoint), expectedBatches.map(\.1))
        XCTAssertEqual(batches.map(\.queryNumber), [2, 3, 4, 5])
        XCTAssertEqual(reader.checkpoint, expectedBatches.last?.1)
        XCTAssertEqual(reader.queryCount, 5)
        XCTAssertEqual(reader.deliveredCount, 7)
        XCTAssertEqual(batches[1].records[1]["name"], .string("r7"))

        let sent = try queries()
        XCTAssertEqual(
            sent.map(\.domain),
            [
                finishSecond("1970-01-01 00:00:00", after: 0).xmlrpcValue,
                jumpAhead(after: "1970-01-01 00:00:00").xmlrpcValue,
                finishSecond("2025-01-01 10:00:01", after: 0).xmlrpcValue,
                finishSecond("2025-01-01 10:00:01", after: 9).xmlrpcValue,
                jumpAhead(after: "2025-01-01 10:00:01").xmlrpcValue,
            ])
        XCTAssertEqual(sent.map(\.order), ["id asc", "write_date asc, id asc", "id asc", "id asc", "write_date asc, id asc"])
        let kwargs = try XCTUnwrap(server.calls().last?.params[6])
        XCTAssertEqual(kwargs[member: "fields"], ["name", "write_date"])
        XCTAssertEqual(kwargs[member: "limit"], 3)
        XCTAssertEqual(kwargs[member: "context"], ["active_test": false, "allowed_company_ids": [1]])
    }

    func testAStoredCheckpointResumesInsideItsSecond() throws {
        enqueueSetup()
        enqueueRows([])
        enqueueRows([])
        let checkpoint = Checkpoint(second: at("2025-01-01 10:00:05"), id: 7)
        let reader = IncrementalReader(client: client(), configuration: configuration(checkpoint: checkpoint))
        XCTAssertNil(try reader.next(), "nothing new")
        XCTAssertEqual(reader.checkpoint, checkpoint, "an empty run keeps the checkpoint")
        XCTAssertEqual(
            try queries().map(\.domain),
            [
                finishSecond("2025-01-01 10:00:05", after: 7).xmlrpcValue,
                jumpAhead(after: "2025-01-01 10:00:05").xmlrpcValue,
            ])
    }

    func testLookbackStartsAtTheBeginningOfAnEarlierSecond() throws {
        enqueueSetup()
        enqueueRows([])
        enqueueRows([])
        let checkpoint = Checkpoint(second: at("2025-01-01 10:00:05"), id: 7)
        let configuration = configuration(checkpoint: checkpoint, lookback: 300)
        XCTAssertEqual(configuration.start, Checkpoint(second: at("2025-01-01 09:55:05"), id: 0))
        let reader = IncrementalReader(client: client(), configuration: configuration)
        XCTAssertNil(try reader.next())
        XCTAssertEqual(try queries().first?.domain, finishSecond("2025-01-01 09:55:05", after: 0).xmlrpcValue)
    }

    func testAFullPageOfOneSecondDeliversNothingAndReadsThatSecondById() throws {
        enqueueSetup()
        enqueueRows([])
        enqueueRows([(8, "2025-01-01 10:00:09"), (3, "2025-01-01 10:00:09"), (5, "2025-01-01 10:00:09")])
        enqueueRows([(3, "2025-01-01 10:00:09"), (5, "2025-01-01 10:00:09"), (6, "2025-01-01 10:00:09")])
        enqueueRows([(8, "2025-01-01 10:00:09")])
        enqueueRows([])
        let start = Checkpoint(second: at("2025-01-01 10:00:00"), id: 0)
        let reader = IncrementalReader(client: client(), configuration: configuration(checkpoint: start))
        var batches: [OdooBatch] = []
        while let batch = try reader.next() { batches.append(batch) }
        XCTAssertEqual(batches.map { $0.records.map(\.id) }, [[3, 5, 6], [8]])
        XCTAssertEqual(batches.last?.checkpoint, Checkpoint(second: at("2025-01-01 10:00:09"), id: 8))
        XCTAssertEqual(try queries().map(\.domain)[2], finishSecond("2025-01-01 10:00:09", after: 0).xmlrpcValue)
    }

    func testAServerThatAnswersOutsideTheDomainIsAnErrorNotALoop() throws {
        enqueueSetup()
        enqueueRows([])
        enqueueRows([(1, "2025-01-01 10:00:00"), (2, "2025-01-01 10:00:00"), (3, "2025-01-01 10:00:00")])
        let start = Checkpoint(second: at("2025-01-01 10:00:00"), id: 0)
        let reader = IncrementalReader(client: client(), configuration: configuration(checkpoint: start))
        let error = try XCTUnwrap(odooError(try reader.next()))
        guard case .unexpectedResult(let detail) = error.kind else { return XCTFail("\(error.kind)") }
        XCTAssertTrue(detail.contains("before the 2025-01-01 10:00:01"), detail)
        XCTAssertEqual(reader.checkpoint, start)
    }

    func testAFailedQueryLeavesTheReaderWhereItWasSoNextRepeatsIt() throws {
        enqueueSetup()
        server.enqueue(.status(404))
        enqueueRows([(2, "1970-01-01 00:00:00")])
        enqueueRows([])
        let reader = IncrementalReader(client: client(), configuration: configuration())
        XCTAssertNotNil(odooError(try reader.next()))
        let batch = try XCTUnwrap(try reader.next())
        XCTAssertEqual(batch.records.map(\.id), [2])
        XCTAssertEqual(try queries().map(\.domain)[0], try queries().map(\.domain)[1])
    }
}
