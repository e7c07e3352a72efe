import Foundation
import LocalServers
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

final class ChildProcessTests: XCTestCase {
    private var log: String!

    override func setUp() {
        log =
            URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
                "odoo-etl-child-\(getpid())-\(UUID().uuidString.prefix(8)).log"
            ).path
    }

    override func tearDown() {
        unlink(log)
    }

    func testRunSucceedsAndKeepsTheOutputInTheLog() throws {
        try ChildProcess.run("/bin/sh", ["-c", "echo hello; echo oops >&2"], log: log)
        XCTAssertEqual(ChildProcess.tail(of: log), "hello\noops")
    }

    func testRunReportsTheExitStatusAndTheEndOfTheOutput() {
        XCTAssertThrowsError(try ChildProcess.run("/bin/sh", ["-c", "echo why it failed >&2; exit 3"], log: log)) { error in
            XCTAssertEqual(
                error as? LocalServersError,
                .commandFailed(command: "/bin/sh -c echo why it failed >&2; exit 3", status: 3, output: "why it failed"))
        }
    }

    func testASignalEndsAChildWith128PlusTheSignal() throws {
        let pid = try ChildProcess.spawn("/bin/sh", ["-c", "kill -TERM $$"], output: nil, newProcessGroup: false)
        XCTAssertEqual(ChildProcess.waitForExit(pid), 128 + SIGTERM)
    }

    func testARunningChildHasNoExitStatusUntilStopped() throws {
        let pid = try ChildProcess.spawn("/bin/sleep", ["300"], output: log, newProcessGroup: true)
        XCTAssertNil(ChildProcess.exitStatusIfEnded(pid))
        ChildProcess.stop(pid, grace: 5)
        // stop reaps the child: its pid no longer names a process.
        XCTAssertEqual(kill(pid, 0), -1)
    }

    func testAToolThatCannotStartIsACommandFailure() {
        XCTAssertThrowsError(try ChildProcess.spawn("/nonexistent/tool", [], output: nil, newProcessGroup: false)) { error in
            guard case .commandFailed(let command, let status, _)? = error as? LocalServersError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(command, "/nonexistent/tool")
            XCTAssertEqual(status, -1)
        }
    }

    func testTheTailIsTheLastLines() throws {
        try ChildProcess.run("/bin/sh", ["-c", "seq 1 39; printf 40"], log: log)
        XCTAssertEqual(ChildProcess.tail(of: log, lines: 3), "38\n39\n40")
    }
}
