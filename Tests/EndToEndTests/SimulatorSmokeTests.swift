import Foundation
import TestSupport
import XCTest

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The Odoo simulator starts from Swift, speaks XML-RPC over real HTTP, and obeys its control API.
final class SimulatorSmokeTests: XCTestCase {
    private static let simulatorOptions: OdooSimulator.Options = {
        var options = OdooSimulator.Options()
        options.companies = 2
        options.expenses = 400
        options.moves = 40
        options.partners = 20
        options.employees = 6
        return options
    }()

    private var simulator: OdooSimulator!

    override func setUpWithError() throws {
        simulator = try OdooSimulator(Self.simulatorOptions)
    }

    override func tearDown() {
        simulator?.stop()
        simulator = nil
    }

    private func post(_ service: String, _ body: String, headers: [String: String] = [:]) throws -> (Int, String) {
        var request = URLRequest(url: simulator.endpoint(service))
        request.httpMethod = "POST"
        request.setValue("text/xml", forHTTPHeaderField: "Content-Type")
        for (name, value) in headers {
            request.setValue(value, forHTTPHeaderField: name)
        }
        request.httpBody = Data(body.utf8)
        let (status, data) = try BlockingHTTP.send(request)
        return (status, String(decoding: data, as: UTF8.self))
    }

    private func authenticateCall(password: String) -> String {
        """
        <?xml version='1.0'?>
        <methodCall>
        <methodName>authenticate</methodName>
        <params>
        <param><value><string>\(simulator.database)</string></value></param>
        <param><value><string>\(simulator.login)</string></value></param>
        <param><value><string>\(password)</string></value></param>
        <param><value><struct></struct></value></param>
        </params>
        </methodCall>
        """
    }

    private func searchCountCall() -> String {
        """
        <?xml version='1.0'?>
        <methodCall><methodName>execute_kw</methodName><params>
        <param><value><string>\(simulator.database)</string></value></param>
        <param><value><int>\(simulator.uid)</int></value></param>
        <param><value><string>\(simulator.password)</string></value></param>
        <param><value><string>hr.expense</string></value></param>
        <param><value><string>search_count</string></value></param>
        <param><value><array><data><value><array><data></data></array></value></data></array></value></param>
        </params></methodCall>
        """
    }

    func testVersionAnswersLikeOdoo18() throws {
        let call = "<?xml version='1.0'?>\n<methodCall>\n<methodName>version</methodName>\n<params>\n</params>\n</methodCall>\n"
        let (status, body) = try post("common", call)
        XCTAssertEqual(status, 200)
        XCTAssertTrue(body.hasPrefix("<?xml version=\"1.0\"?>\n<methodResponse>\n<params>\n"), body)
        XCTAssertTrue(body.contains("<name>server_serie</name>\n<value><string>18.0</string></value>"), body)
        XCTAssertTrue(body.contains("<name>protocol_version</name>\n<value><int>1</int></value>"), body)
    }

    func testAuthenticateReturnsTheUidOrFalse() throws {
        let (status, accepted) = try post("common", authenticateCall(password: simulator.password))
        XCTAssertEqual(status, 200)
        XCTAssertTrue(accepted.contains("<value><int>\(simulator.uid)</int></value>"), accepted)
        let (_, refused) = try post("common", authenticateCall(password: "not-the-password"))
        XCTAssertTrue(refused.contains("<value><boolean>0</boolean></value>"), refused)
        XCTAssertFalse(refused.contains("<fault>"), refused)
    }

    func testInjectedFaultStrikesOnceThenTheCallSucceeds() throws {
        try simulator.inject(.init(.status(503, retryAfter: 2), method: "search_count", model: "hr.expense"))
        let (failed, page) = try post("object", searchCountCall())
        XCTAssertEqual(failed, 503)
        XCTAssertTrue(page.contains("503 Service Temporarily Unavailable"), page)
        let (status, body) = try post("object", searchCountCall())
        XCTAssertEqual(status, 200)
        XCTAssertTrue(body.contains("<value><int>400</int></value>"), body)
        let statistics = try simulator.statistics()
        XCTAssertEqual(statistics.byCall["object execute_kw hr.expense search_count"], 2)
        XCTAssertEqual(statistics.faultsInjected, 1)
    }

    func testTotalsAndOneSecondBurst() throws {
        let before = try simulator.totals(model: "hr.expense", field: "total_amount")
        XCTAssertEqual(before.total.count, 400)
        XCTAssertEqual(before.groups.values.map(\.count).reduce(0, +), 400)
        let burst = try simulator.create(
            model: "hr.expense", count: 250, companyID: 1,
            at: "2026-05-01 12:00:40.123456")
        XCTAssertEqual(burst.ids.count, 250)
        XCTAssertEqual(burst.writeDate, "2026-05-01 12:00:40.123456")
        let stored = try simulator.storedWriteDates(model: "hr.expense", ids: Array(burst.ids.prefix(3)))
        XCTAssertEqual(Set(stored.values), ["2026-05-01 12:00:40.123456"])
        let after = try simulator.totals(model: "hr.expense", field: "total_amount")
        XCTAssertEqual(after.groups["1"]?.count, (before.groups["1"]?.count ?? 0) + 250)
        XCTAssertEqual(after.groups["2"], before.groups["2"])
    }

    func testStopReleasesThePort() throws {
        let url = simulator.url
        simulator.stop()
        var request = URLRequest(url: url.appendingPathComponent("web/login"))
        request.timeoutInterval = 5
        XCTAssertThrowsError(try BlockingHTTP.send(request))
    }
}
