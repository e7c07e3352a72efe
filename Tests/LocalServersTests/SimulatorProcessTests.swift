import Foundation
import LocalServers
import TestSupport
import XCTest

final class SimulatorProcessTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "odoo-etl-simulator-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    func testTheBundledSimulatorReportsItsPort() throws {
        let script = SimulatorProcess.script(repositoryRoot: TestPaths.repositoryRoot)
        let simulator = try SimulatorProcess.launch(
            script: script, arguments: ["--companies", "1", "--expenses", "10", "--moves", "5"],
            log: directory.appendingPathComponent("simulator.log").path, newProcessGroup: false)
        defer { simulator.stop() }
        let port = try simulator.waitUntilReady(timeout: 120)
        XCTAssertGreaterThan(port, 0)
        XCTAssertTrue(ChildProcess.tail(of: simulator.log).contains("READY port=\(port)"))
    }

    func testAScriptThatExitsGivesItsStatusAndTheEndOfItsLog() throws {
        let script = directory.appendingPathComponent("broken.py")
        try "import sys\nprint('cannot seed: no companies', file=sys.stderr)\nsys.exit(4)\n".write(
            to: script, atomically: true, encoding: .utf8)
        let simulator = try SimulatorProcess.launch(
            script: script, arguments: [], log: directory.appendingPathComponent("broken.log").path,
            newProcessGroup: false)
        XCTAssertThrowsError(try simulator.waitUntilReady(timeout: 120)) { error in
            XCTAssertEqual(error as? LocalServersError, .simulatorExited(status: 4, output: "cannot seed: no companies"))
        }
    }

    func testAMissingScriptIsReportedWithItsPath() {
        let script = directory.appendingPathComponent("simulator/simulator.py")
        XCTAssertThrowsError(try SimulatorProcess.launch(script: script, arguments: [], log: "/dev/null", newProcessGroup: false)) {
            error in
            XCTAssertEqual(error as? LocalServersError, .simulatorMissing(path: script.path))
        }
    }
}
