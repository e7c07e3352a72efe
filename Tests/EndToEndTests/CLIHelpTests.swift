import XCTest

/// `--help` screens are part of the interface operators read; golden files catch any change.
final class CLIHelpTests: XCTestCase {
    func testRootHelpListsEveryCommandAndTheExitCodes() throws {
        let result = try CLIWorkspace().run(["--help"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stderr, "")
        for command in ["sync", "backfill", "migrate", "health", "status", "verify", "check", "config", "demo"] {
            XCTAssertTrue(result.stdout.contains("\n  \(command) "), "root help lacks \(command)")
        }
        try Golden.assertMatches(result.transcript, "help-root.txt")
    }

    func testSyncHelp() throws {
        let result = try CLIWorkspace().run(["sync", "--help"])
        XCTAssertEqual(result.status, 0)
        try Golden.assertMatches(result.transcript, "help-sync.txt")
    }

    func testBackfillHelp() throws {
        let result = try CLIWorkspace().run(["backfill", "--help"])
        XCTAssertEqual(result.status, 0)
        try Golden.assertMatches(result.transcript, "help-backfill.txt")
    }

    func testHelpCommandShowsTheSameScreenAsTheFlag() throws {
        let workspace = try CLIWorkspace()
        let viaFlag = try workspace.run(["sync", "--help"])
        let viaCommand = try workspace.run(["help", "sync"])
        XCTAssertEqual(viaCommand.status, 0)
        XCTAssertEqual(viaCommand.stdout, viaFlag.stdout)
    }
}
