import ETLModel
import Foundation
import OdooRPC
import OdooSQL
import Postgres
import Sync
import TestSupport
import XCTest

/// The same seeded Odoo reached two ways, through the simulator's XML-RPC and through a
/// PostgreSQL database with Odoo 18's real table layout holding the same stored values, fills the
/// warehouse identically: every warehouse, analytics and scout row, and every checkpoint. And a
/// unit may switch source between runs without a gap.
final class SQLSourceParityTests: XCTestCase {
    private var simulator: OdooSimulator!
    private var odoo: (url: String, connection: PostgresConnection)!
    private var loader: OdooLayoutLoader!

    override func setUpWithError() throws {
        simulator = try OdooSimulator()
        addTeardownBlock { [simulator] in simulator?.stop() }
        odoo = try OdooLayoutSchema.newDatabase()
        let settings = OdooConnectionSettings(
            url: simulator.url.absoluteString, database: simulator.database,
            login: simulator.login, password: simulator.password)
        loader = OdooLayoutLoader(simulator: simulator, client: OdooClient(settings: settings), connection: odoo.connection)
        try makeUsersReal()
        try addAwkwardText()
        try loader.load()
    }

    /// The simulator names user 6 (Marc Demo) without a partner; in Odoo every user has one.
    private func makeUsersReal() throws {
        _ = try simulator.create(
            model: "res.partner", count: 1,
            values: [
                "name": "Marc Demo", "complete_name": "Marc Demo", "company_id": false, "parent_id": false, "is_company": false,
                "vat": false, "ref": false, "email": "mark.brown23@example.com",
            ])
    }

    /// Text Odoo stores but XML-RPC cannot carry as is: control characters and CR line ends.
    private func addAwkwardText() throws {
        let partners =
            try simulator.control(
                "read",
                [
                    "model": "res.partner", "domain": [["is_company", "=", true]] as [Any],
                    "fields": ["name"],
                ])["records"] as? [[String: Any]] ?? []
        let ids = partners.compactMap { $0["id"] as? Int }.suffix(2)
        for id in ids {
            let name = "Tab\there\r\nCR\rbell\u{7}end \(id)"
            _ = try simulator.write(
                model: "res.partner", ids: [id],
                values: [
                    "name": name, "complete_name": name,
                    "street": "Line 1\r\nLine 2\u{1}",
                ])
        }
        _ = try simulator.write(model: "hr.expense", ids: [1, 2], values: ["name": "Taxi\u{2} to «Ñino» site\r\n"])
    }

    func testBothSourcesFillTheWarehouseIdentically() throws {
        let engine = EngineRun(simulator: simulator, odooDatabaseURL: odoo.url)
        let overXMLRPC = try EngineRun.newWarehouse()
        let overSQL = try EngineRun.newWarehouse()
        let xmlrpc = try engine.sync(into: overXMLRPC, source: .xmlrpc)
        let sql = try engine.sync(into: overSQL, source: .sql)

        let left = try WarehouseSnapshot(overXMLRPC)
        let right = try WarehouseSnapshot(overSQL)
        XCTAssertGreaterThan(left.rowCount, 10_000, "the seed fills every table")
        for table in [
            "warehouse.hr_expense", "warehouse.account_move_line", "analytics.fact_journal_item", "scout.transactions",
            "warehouse.res_partner", "warehouse.res_company", "warehouse.hr_expense_sheet", "analytics.fact_invoice",
        ] {
            XCTAssertFalse(left.tables[table]?.isEmpty ?? true, "\(table) is empty: the comparison would prove nothing")
        }
        XCTAssertTrue(left == right, "XML-RPC (left) and SQL (right) differ:\n" + left.differences(from: right))
        XCTAssertEqual(
            xmlrpc.units.map(\.recordsRead).reduce(0, +), sql.units.map(\.recordsRead).reduce(0, +),
            "both sources read every record once")
        let awkward = left.tables["warehouse.res_partner"]?.first { $0.contains("bell") } ?? ""
        XCTAssertTrue(awkward.contains("Tab\there\nCR\nbellend"), "control characters dropped, line ends as LF: \(awkward)")
    }

    func testAUnitSwitchesSourceBetweenRunsWithoutAGap() throws {
        let engine = EngineRun(simulator: simulator, odooDatabaseURL: odoo.url)
        let xmlrpcThenSQL = try EngineRun.newWarehouse()
        let sqlThenXMLRPC = try EngineRun.newWarehouse()
        try engine.sync(into: xmlrpcThenSQL, source: .xmlrpc)
        try engine.sync(into: sqlThenXMLRPC, source: .sql)
        XCTAssertEqual(
            try WarehouseSnapshot(xmlrpcThenSQL).tables["etl.sync_state"], try WarehouseSnapshot(sqlThenXMLRPC).tables["etl.sync_state"],
            "both sources end a run at the same checkpoints")

        // Odoo moves on: edits, a report approved, new records, one import sharing a second.
        _ = try simulator.write(model: "hr.expense", ids: Array(1...40), values: ["state": "approved"])
        _ = try simulator.write(model: "account.move", ids: Array(1...25), values: ["payment_state": "paid"])
        _ = try simulator.write(model: "res.partner", ids: [4, 5, 6], values: ["city": "Tacloban City"])
        _ = try simulator.create(model: "hr.expense", count: 300, companyID: 2, values: ["name": "Imported receipt"])
        _ = try simulator.create(
            model: "res.partner", count: 3, values: ["name": "New Supplier Inc.", "complete_name": "New Supplier Inc."])
        try loader.load()

        let switchedToSQL = try engine.sync(into: xmlrpcThenSQL, source: .sql)
        let switchedToXMLRPC = try engine.sync(into: sqlThenXMLRPC, source: .xmlrpc)
        let fresh = try EngineRun.newWarehouse()
        try engine.sync(into: fresh, source: .xmlrpc)

        let expected = try WarehouseSnapshot(fresh)
        let afterSQL = try WarehouseSnapshot(xmlrpcThenSQL)
        let afterXMLRPC = try WarehouseSnapshot(sqlThenXMLRPC)
        XCTAssertTrue(afterSQL == expected, "XML-RPC then SQL (left) misses or keeps stale rows:\n" + afterSQL.differences(from: expected))
        XCTAssertTrue(
            afterXMLRPC == expected,
            "SQL then XML-RPC (left) misses or keeps stale rows:\n"
                + afterXMLRPC.differences(from: expected))
        let readBySQL = Dictionary(uniqueKeysWithValues: switchedToSQL.units.map { ($0.label, $0.recordsRead) })
        let readByXMLRPC = Dictionary(uniqueKeysWithValues: switchedToXMLRPC.units.map { ($0.label, $0.recordsRead) })
        XCTAssertEqual(readBySQL, readByXMLRPC, "after a switch, either source reads exactly the records changed since the checkpoint")
        XCTAssertLessThan(readBySQL.values.reduce(0, +), afterSQL.rowCount / 10, "only what changed was read again")
    }
}
