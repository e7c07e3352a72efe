import Foundation
import LocalServers
import Postgres
import XCTest

final class ThrowawayPostgresTests: XCTestCase {
    func testAServerStartsTakesQueriesAndStops() throws {
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "odoo-etl-throwaway-pg-\(getpid())-\(UUID().uuidString.prefix(8))"
        ).path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try ThrowawayPostgres(
            directory: directory, configuration: .init(maxConnections: 20, sharedBuffers: "32MB"),
            toolLog: directory + "/tools.log")
        try server.start()
        defer { try? server.stop(.immediate) }
        XCTAssertNotNil(server.postmasterPID)

        let url = try server.createDatabase("throwaway")
        let connection = try PostgresConnection(url)
        XCTAssertEqual(try connection.query("SELECT current_database() AS name").first?.string("name"), "throwaway")
        XCTAssertEqual(try connection.query("SHOW max_connections").first?.string("max_connections"), "20")
        XCTAssertEqual(try connection.query("SHOW shared_buffers").first?.string("shared_buffers"), "32MB")
        XCTAssertEqual(try connection.query("SHOW fsync").first?.string("fsync"), "off")

        try server.stop(.fast)
        XCTAssertNil(server.postmasterPID)
        XCTAssertThrowsError(try PostgresConnection(url))
    }
}
