import ETLModel
import Pipelines
import XCTest

/// Row filters, lookup caching and value mismatches, on the repository's pipelines.
final class TransformBehaviourTests: XCTestCase {
    private func odoo18Plan(_ name: String) throws -> PipelinePlan {
        let pipeline = try XCTUnwrap(try Fixtures.catalog().pipeline(named: name))
        var models: [String: ModelFields] = [:]
        for model in pipeline.modelsToInspect { models[model] = .available(try Fixtures.odoo18Fields(model)) }
        let resolution = PipelineResolver.resolve(pipeline, models: models, odooVersion: "18.0")
        guard case .ready(let plan) = resolution else {
            throw GoldenScenario.Unexpected(description: "\(name) does not resolve on Odoo 18: \(resolution)")
        }
        return plan
    }

    private func move(_ id: Int64, type: String) -> OdooRecord {
        OdooRecord(
            id: id,
            fields: [
                "move_type": .string(type), "company_id": .many2one(id: 1, name: "YourCompany"),
                "write_date": .datetime(OdooDateTime(seconds: 1_795_000_000)),
            ])
    }

    func testFactInvoiceKeepsInvoicesAndRefundsOnly() throws {
        let plan = try odoo18Plan("invoices")
        let types = ["entry", "out_invoice", "out_refund", "in_invoice", "in_refund", "out_receipt"]
        let batches = try plan.transform(types.enumerated().map { move(Int64($0.offset + 1), type: $0.element) }, lookups: [:])
        XCTAssertEqual(batches.map(\.table.name), ["warehouse.account_move", "analytics.fact_invoice"])
        XCTAssertEqual(batches[0].rows.map { $0[0] }, (1...6).map { Cell.int(Int64($0)) })
        XCTAssertEqual(batches[1].rows.map { $0[0] }, [.int(2), .int(3), .int(4), .int(5)])
    }

    func testLookupCacheReadsEachRelatedRecordOncePerRun() throws {
        let plan = try odoo18Plan("bir_tax_lines")
        let partnerRequest = try XCTUnwrap(plan.lookupRequests.first { $0.model == "res.partner" })
        func line(_ id: Int64, partner: Int64) -> OdooRecord {
            OdooRecord(id: id, fields: ["partner_id": .many2one(id: partner, name: "P\(partner)")])
        }
        var cache = LookupCache()
        var reads: [[Int64]] = []
        func read(_ request: LookupRequest, _ ids: [Int64]) -> [OdooRecord] {
            reads.append(ids)
            // Partner 8 is gone (deleted, or hidden from this user): read returns only the others.
            return ids.filter { $0 != 8 }.map { OdooRecord(id: $0, fields: ["vat": .string("VAT-\($0)")]) }
        }
        let first = [line(1, partner: 7), line(2, partner: 8), line(3, partner: 7)]
        let firstResults = cache.resolve(plan.lookupRequests, for: first, read: read)
        XCTAssertEqual(reads, [[7, 8]])
        XCTAssertEqual(firstResults["res.partner"]?[7]?["vat"], .string("VAT-7"))
        XCTAssertEqual(firstResults["account.tax"]?.isEmpty, true, "every requested model has an entry")

        let second = [line(4, partner: 8), line(5, partner: 9), line(6, partner: 7)]
        let results = cache.resolve(plan.lookupRequests, for: second, read: read)
        XCTAssertEqual(reads, [[7, 8], [9]], "7 is cached; 8 was asked for and not returned")
        XCTAssertEqual(results["res.partner"].map { Set($0.keys) }, [7, 9], "only what this batch points to")
    }

    func testLookupCacheMemoryIsBoundedButEveryBatchGetsWhatItNeeds() throws {
        let plan = try odoo18Plan("bir_tax_lines")
        var cache = LookupCache(capacity: 100)
        var readCount = 0
        // 5,000 lines, each pointing to a partner of its own, plus partner 1 on every line.
        for start in stride(from: 1, through: 5_000, by: 50) {
            let lines = (Int64(start)..<Int64(start + 50)).flatMap { id in
                [
                    OdooRecord(id: id, fields: ["partner_id": .many2one(id: 1_000 + id, name: "")]),
                    OdooRecord(id: -id, fields: ["partner_id": .many2one(id: 1, name: "")]),
                ]
            }
            let results = cache.resolve(plan.lookupRequests, for: lines) { _, ids in
                readCount += ids.count
                return ids.map { OdooRecord(id: $0, fields: ["vat": .string("VAT-\($0)")]) }
            }
            for line in lines {
                guard case .many2one(let partner, _) = line["partner_id"] else { continue }
                XCTAssertEqual(results["res.partner"]?[partner]?["vat"], .string("VAT-\(partner)"))
            }
            XCTAssertLessThanOrEqual(cache.cachedCount("res.partner"), 200)
        }
        XCTAssertLessThan(readCount, 5_000 + 5_000 / 100 + 10, "the shared partner is re-read only after a generation drops it")
    }

    func testAValueOfTheWrongKindNamesRecordAndColumn() throws {
        let plan = try odoo18Plan("taxes")
        var record = OdooRecord(
            id: 9,
            fields: [
                "company_id": .many2one(id: 1, name: "YourCompany"),
                "write_date": .datetime(OdooDateTime(seconds: 1_795_000_000)),
            ])
        record.fields["amount"] = .string("15%")
        XCTAssertThrowsError(try plan.transform([record], lookups: [:])) { error in
            XCTAssertEqual(
                "\(error)",
                "pipeline 'taxes': account.tax record 9, column warehouse.account_tax.amount: a text "
                    + "value cannot fill a numeric(18,4) column — check the field's type in Odoo against the column "
                    + "type in the pipeline file")
        }
    }

    func testUntypedFalseNeverBecomesTextOrZero() throws {
        let plan = try odoo18Plan("partners")
        let record = OdooRecord(
            id: 3,
            fields: [
                "name": .bool(false), "customer_rank": .bool(false),
                "country_id": .bool(false), "active": .bool(false),
                "write_date": .datetime(OdooDateTime(seconds: 1_795_000_000)),
            ])
        let row = try XCTUnwrap(plan.transform([record], lookups: [:]).first?.rows.first)
        let columns = plan.tables[0].columns.map(\.name)
        func cell(_ name: String) -> Cell? { columns.firstIndex(of: name).map { row[$0] } }
        XCTAssertEqual(cell("name"), .null)
        XCTAssertEqual(cell("customer_rank"), .null)
        XCTAssertEqual(cell("country_id"), .null)
        XCTAssertEqual(cell("country_name"), .null)
        XCTAssertEqual(cell("active"), .bool(false), "a boolean field's False is a real false")
    }
}
