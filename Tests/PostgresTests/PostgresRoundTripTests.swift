import Foundation
import Postgres
import TestSupport
import XCTest

final class PostgresRoundTripTests: XCTestCase {
    private var connection: PostgresConnection!
    private var url: String!

    override func setUpWithError() throws {
        (url, connection) = try PostgresHarness.shared.connectToNewDatabase()
    }

    /// Text that exercises every COPY escape and multi-byte UTF-8 width.
    private static let nastyPieces = [
        "tab\there", "new\nline", "carriage\rreturn", "back\\slash", "\\N", "\\\\N", "ñandú Señora Peña",
        "emoji 🧾💸", "4-byte 𝄞𐍈", "trailing\\", "'; DROP TABLE t; --", "", " ", "\"quoted\"", "mixed\t\\\n\r🧾",
    ]

    func testCopyOf100kNastyRowsReadsBackByteIdentical() throws {
        try connection.execute(script: "CREATE TABLE nasty (id bigint PRIMARY KEY, body text, note text)")
        let pieces = Self.nastyPieces
        func body(_ i: Int) -> String { pieces[i % pieces.count] + String(i) + pieces[(i * 7) % pieces.count] }
        let copied = try connection.copyIn("COPY nasty (id, body, note) FROM STDIN", columns: ["id", "body", "note"]) { writer in
            for i in 0..<100_000 {
                writer.writeField(Int64(i))
                try writer.writeField(body(i))
                if i % 10 == 0 { writer.writeNull() } else { try writer.writeField(pieces[i % pieces.count]) }
                try writer.endRow()
            }
        }
        XCTAssertEqual(copied, 100_000)

        let rows = try connection.query("SELECT id, body, note FROM nasty ORDER BY id").rows
        XCTAssertEqual(rows.count, 100_000)
        for (i, row) in rows.enumerated() {
            XCTAssertEqual(try row.int("id"), Int64(i))
            let expected = body(i)
            let actual = try row.string("body")
            if Array(expected.utf8) != Array((actual ?? "").utf8) {
                XCTFail("row \(i) differs: \(expected.debugDescription) vs \(String(describing: actual).debugDescription)")
                break
            }
            XCTAssertEqual(try row.string("note"), i % 10 == 0 ? nil : pieces[i % pieces.count])
        }
        let bytes = try connection.query("SELECT sum(octet_length(body))::bigint AS n FROM nasty").first?.int("n")
        XCTAssertEqual(bytes, Int64((0..<100_000).reduce(0) { $0 + body($1).utf8.count }))
    }

    func testThrowInsideCopyAbortsAndLeavesTableEmpty() throws {
        try connection.execute(script: "CREATE TABLE target (id bigint)")
        struct Boom: Error {}
        XCTAssertThrowsError(
            try connection.copyIn("COPY target (id) FROM STDIN", columns: ["id"]) { writer in
                for i in 0..<50_000 {
                    writer.writeField(Int64(i))
                    try writer.endRow()
                }
                throw Boom()
            }
        ) { XCTAssertTrue($0 is Boom) }
        XCTAssertEqual(try connection.query("SELECT count(*)::bigint AS n FROM target").first?.int("n"), 0)
        // The connection is still usable.
        XCTAssertEqual(try connection.query("SELECT 1::int AS one").first?.int("one"), 1)
    }

    func testNulByteIsAClearErrorNamingTheColumn() throws {
        try connection.execute(script: "CREATE TABLE target (id bigint, vendor_name text)")
        XCTAssertThrowsError(
            try connection.copyIn("COPY target (id, vendor_name) FROM STDIN", columns: ["id", "vendor_name"]) { writer in
                writer.writeField(1)
                try writer.writeField("Acme\u{0}Corp")
                try writer.endRow()
            }
        ) { error in
            let pgError = error as? PostgresError
            XCTAssertEqual(pgError?.kind, .invalidValue)
            XCTAssertTrue(String(describing: error).contains("column vendor_name of COPY row 1 contains a NUL byte"), "\(error)")
        }
        XCTAssertEqual(try connection.query("SELECT count(*)::bigint AS n FROM target").first?.int("n"), 0)
    }

    func testBindParametersAreNeverSQL() throws {
        try connection.execute(script: "CREATE TABLE partners (name text)")
        let hostile = "x'); DROP TABLE partners; --"
        try connection.query("INSERT INTO partners (name) VALUES ($1)", [hostile])
        let found = try connection.query("SELECT name FROM partners WHERE name = $1", [hostile])
        XCTAssertEqual(try found.first?.string("name"), hostile)
        XCTAssertEqual(try connection.query("SELECT count(*)::int AS n FROM partners").first?.int("n"), 1)
    }

    func testTypedReads() throws {
        let row = try XCTUnwrap(
            connection.query(
                """
                SELECT 42::int AS i, 9007199254740993::bigint AS big, 1234567890123.45::numeric(18,2) AS money,
                       'ñ'::text AS t, true AS b, DATE '2026-11-24' AS d, TIMESTAMP '2026-11-24 15:21:40.123456' AS ts,
                       '{"3": 100.0}'::jsonb AS j, NULL::text AS n
                """
            ).first)
        XCTAssertEqual(try row.int("i"), 42)
        XCTAssertEqual(try row.int("big"), 9_007_199_254_740_993)
        XCTAssertEqual(try row.numericText("money"), "1234567890123.45")
        XCTAssertEqual(try row.decimal("money"), Decimal(string: "1234567890123.45"))
        XCTAssertEqual(try row.string("t"), "ñ")
        XCTAssertEqual(try row.bool("b"), true)
        XCTAssertEqual(try row.date("d"), "2026-11-24")
        XCTAssertEqual(try XCTUnwrap(row.timestamp("ts")).timeIntervalSince1970, 1_795_533_700.123456, accuracy: 0.000001)
        XCTAssertEqual((try row.json("j") as? [String: Double])?["3"], 100.0)
        XCTAssertNil(try row.string("n"))
        XCTAssertThrowsError(try row.int("t")) { XCTAssertTrue("\($0)".contains("column t")) }
        XCTAssertThrowsError(try row.int("missing"))
    }

    func testTransactionRollsBackOnThrow() throws {
        try connection.execute(script: "CREATE TABLE ledger (amount numeric(18,2))")
        struct Abort: Error {}
        XCTAssertThrowsError(
            try connection.withTransaction {
                try connection.query("INSERT INTO ledger VALUES ($1)", [Decimal(string: "10.50")!])
                throw Abort()
            })
        XCTAssertEqual(try connection.query("SELECT count(*)::int AS n FROM ledger").first?.int("n"), 0)
        _ = try connection.withTransaction { try connection.query("INSERT INTO ledger VALUES ($1)", ["10.50"]) }
        XCTAssertEqual(try connection.query("SELECT sum(amount) AS s FROM ledger").first?.numericText("s"), "10.50")
    }

    func testServerErrorCarriesSQLStateAndStatementButNotValues() throws {
        try connection.execute(script: "CREATE TABLE uniq (id int PRIMARY KEY)")
        try connection.query("INSERT INTO uniq VALUES ($1)", [1])
        XCTAssertThrowsError(try connection.query("INSERT INTO uniq VALUES ($1)", ["1"])) { error in
            let pg = error as! PostgresError
            XCTAssertEqual(pg.sqlState, "23505")
            XCTAssertFalse(pg.isRetryable)
            XCTAssertEqual(pg.statement, "INSERT INTO uniq VALUES ($1)")
            XCTAssertTrue(pg.description.contains("23505"))
        }
    }

    func testConnectFailureNeverPrintsThePassword() throws {
        let port = URLComponents(string: url)!.port!
        XCTAssertThrowsError(try PostgresConnection("postgres://nobody:S3cretPassw0rd@127.0.0.1:\(port)/nowhere")) { error in
            XCTAssertEqual((error as? PostgresError)?.kind, .connectFailed)
            XCTAssertFalse("\(error)".contains("S3cretPassw0rd"), "\(error)")
        }
    }

    func testKilledBackendIsATypedRetryableError() throws {
        let victim = try PostgresConnection(url)
        let pid = victim.backendPID
        try connection.query("SELECT pg_terminate_backend($1)", [Int(pid)])
        Thread.sleep(forTimeInterval: 0.1)
        XCTAssertThrowsError(try victim.query("SELECT 1")) { error in
            let pg = error as? PostgresError
            XCTAssertEqual(pg?.kind, .connectionLost, "\(error)")
            XCTAssertTrue(pg?.isRetryable ?? false)
        }
        XCTAssertFalse(victim.isAlive)
    }

    func testAdvisoryLockHeldByOneSessionIsRefusedToAnother() throws {
        let other = try PostgresConnection(url)
        XCTAssertTrue(try connection.tryAdvisoryLock(7_001))
        XCTAssertFalse(try other.tryAdvisoryLock(7_001))
        XCTAssertFalse(try other.advisoryLock(7_001, timeoutSeconds: 0.3))
        XCTAssertTrue(try connection.advisoryUnlock(7_001))
        XCTAssertTrue(try other.advisoryLock(7_001, timeoutSeconds: 1))
    }

    func testCopyOutStreamsEveryRow() throws {
        try connection.execute(script: "CREATE TABLE src AS SELECT g AS id, 'row ' || g AS label FROM generate_series(1, 20000) g")
        var count = 0
        var bytes = 0
        let rows = try connection.copyOut("COPY (SELECT id, label FROM src ORDER BY id) TO STDOUT") { row in
            count += 1
            bytes += row.count
            if count == 1 { XCTAssertEqual(String(decoding: row, as: UTF8.self), "1\trow 1\n") }
        }
        XCTAssertEqual(rows, 20_000)
        XCTAssertEqual(count, 20_000)
        XCTAssertGreaterThan(bytes, 20_000 * 7)
    }

    func testMultiStatementScript() throws {
        try connection.execute(
            script: """
                CREATE SCHEMA IF NOT EXISTS etl;
                CREATE TABLE etl.things (id int);
                INSERT INTO etl.things VALUES (1), (2);
                """)
        XCTAssertEqual(try connection.query("SELECT count(*)::int AS n FROM etl.things").first?.int("n"), 2)
        XCTAssertGreaterThanOrEqual(connection.serverVersion, 150_000)
        XCTAssertTrue(connection.endpointDescription.contains("127.0.0.1"))
    }
}
