import Foundation
import Postgres
import TestSupport
import XCTest

/// libpq quotes the part of a connection string it cannot parse, and that part may be the
/// password. These connect for real, so the messages are libpq's own.
final class ConnectionStringSecretsTests: XCTestCase {
    private var port: Int { PostgresHarness.shared.port }

    func testStrayPercentInAURLPasswordIsMaskedAndExplained() throws {
        let message = try connectFailure("postgres://etl:Ab%Q9z-SECRET@127.0.0.1:\(port)/warehouse")
        XCTAssertTrue(message.contains("invalid percent-encoded token"), message)
        XCTAssertTrue(message.contains("must be written %25"), message)
        XCTAssertFalse(message.contains("SECRET"), message)
    }

    func testMalformedURLIsNotQuotedBack() throws {
        let message = try connectFailure("postgresql://etl:pw-SECRET@[::1:\(port)/warehouse")
        XCTAssertTrue(message.contains("IPv6"), message)
        XCTAssertFalse(message.contains("SECRET"), message)
    }

    func testBrokenKeywordStringIsNotQuotedBack() throws {
        let message = try connectFailure("host=127.0.0.1 port=\(port) password=pw one-SECRET dbname=warehouse")
        XCTAssertTrue(message.contains("missing \"=\""), message)
        XCTAssertFalse(message.contains("SECRET"), message)
    }

    /// libpq ends the userinfo at the first `@`: the rest of the password becomes the host name,
    /// which the resolver's error quotes.
    func testAnUnencodedAtSignInAPasswordDoesNotLeakItsTailThroughTheHostName() throws {
        let message = try connectFailure("postgres://etl:pw@tail-SECRET@127.0.0.1:\(port)/warehouse")
        XCTAssertFalse(message.contains("SECRET"), message)
    }

    func testServerMessagesKeepTheirQuotedNames() throws {
        let user = URLComponents(string: PostgresHarness.shared.serverURL)?.user ?? "postgres"
        let message = try connectFailure("postgres://\(user):pw-SECRET@127.0.0.1:\(port)/no_such_database")
        XCTAssertTrue(message.contains("\"no_such_database\""), message)
        XCTAssertFalse(message.contains("SECRET"), message)
    }

    func testPasswordsAreFoundInEveryForm() {
        XCTAssertEqual(ConnectionStringSecrets.passwords(in: "postgres://u:p%40ss@host:5432/db"), ["p%40ss", "p@ss"])
        XCTAssertEqual(ConnectionStringSecrets.passwords(in: "postgres://u:pw@ss-tail@host/db"), ["pw@ss-tail", "ss-tail"])
        XCTAssertEqual(ConnectionStringSecrets.passwords(in: "postgres://host/db?user=u&password=qp"), ["qp"])
        XCTAssertEqual(ConnectionStringSecrets.passwords(in: "host=h password='a b' dbname=d"), ["a b"])
        XCTAssertEqual(ConnectionStringSecrets.passwords(in: "postgres://u@host/db"), [])
        XCTAssertEqual(ConnectionStringSecrets.passwords(in: "host=h dbname=d"), [])
    }

    private func connectFailure(_ connectionString: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        do {
            _ = try PostgresConnection(connectionString, options: .init(connectTimeoutSeconds: 3))
        } catch let error as PostgresError {
            XCTAssertEqual(error.kind, .connectFailed, file: file, line: line)
            return error.description
        }
        XCTFail("connected with \(connectionString)", file: file, line: line)
        return ""
    }
}
