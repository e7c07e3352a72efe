import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bundled Odoo 18 simulator (simulator/ at the top of a checkout, Python standard library only),
/// seeded with a few companies and thousands of records, guarded by a password made up for this
/// run. It seeds while PostgreSQL starts: `launch` returns at once, `waitUntilReady` waits for
/// its `READY port=` line.
struct DemoSimulator {
    /// Seeded totals, spread round-robin over the companies.
    struct Size {
        var companies = 3
        var partners = 60
        var employees = 30
        var expenses = 6_000
        var moves = 1_500
    }

    let url: URL
    let pid: Int32
    let size: Size
    let database = "odoo_demo"
    let login = "admin"
    let password: String

    struct Launched {
        let pid: Int32
        let size: Size
        let password: String
        let log: String

        func waitUntilReady(timeout: TimeInterval = 90) throws -> DemoSimulator {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                if let line = output.split(separator: "\n").first(where: { $0.hasPrefix("READY port=") }),
                   let port = Int(line.dropFirst("READY port=".count)) {
                    return DemoSimulator(url: URL(string: "http://127.0.0.1:\(port)")!, pid: pid, size: size, password: password)
                }
                if let status = ChildProcess.exitStatusIfEnded(pid) {
                    throw DemoError.simulatorExited(status: status, output: ChildProcess.tail(of: log))
                }
                usleep(50_000)
            }
            throw DemoError.simulatorTimedOut(seconds: Int(timeout), output: ChildProcess.tail(of: log))
        }
    }

    /// The script beside the pipelines directory of a checkout.
    static func script(pipelinesDirectory: URL) -> URL {
        pipelinesDirectory.standardizedFileURL.deletingLastPathComponent()
            .appendingPathComponent("simulator/simulator.py")
    }

    /// Starts the simulator in its own process group (Ctrl-C reaches only odoo-etl, which stops it)
    /// and registers its shutdown with `scratch`.
    static func launch(script: URL, size: Size, scratch: DemoScratch) throws -> Launched {
        guard FileManager.default.fileExists(atPath: script.path) else {
            throw DemoError.simulatorMissing(path: script.path)
        }
        let password = (0..<4).map { _ in String(UInt32.random(in: .min ... .max), radix: 16) }.joined()
        let log = scratch.path("simulator.log")
        let arguments = [
            "python3", script.path, "--port", "0", "--password", password,
            "--companies", String(size.companies), "--partners", String(size.partners),
            "--employees", String(size.employees), "--expenses", String(size.expenses), "--moves", String(size.moves),
        ]
        let pid = try ChildProcess.spawn("/usr/bin/env", arguments, output: log, newProcessGroup: true)
        scratch.onTeardown { ChildProcess.stop(pid, grace: 5) }
        return Launched(pid: pid, size: size, password: password, log: log)
    }
}
