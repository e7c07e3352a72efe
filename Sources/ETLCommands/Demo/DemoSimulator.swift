import Foundation
import LocalServers

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
        let process: SimulatorProcess
        let size: Size
        let password: String

        func waitUntilReady(timeout: TimeInterval = 90) throws -> DemoSimulator {
            let port = try DemoError.translating { try process.waitUntilReady(timeout: timeout) }
            return DemoSimulator(url: URL(string: "http://127.0.0.1:\(port)")!, pid: process.pid, size: size, password: password)
        }
    }

    /// The script beside the pipelines directory of a checkout.
    static func script(pipelinesDirectory: URL) -> URL {
        SimulatorProcess.script(repositoryRoot: pipelinesDirectory.standardizedFileURL.deletingLastPathComponent())
    }

    /// Starts the simulator in its own process group (Ctrl-C reaches only odoo-etl, which stops it)
    /// and registers its shutdown with `scratch`.
    static func launch(script: URL, size: Size, scratch: DemoScratch) throws -> Launched {
        let password = (0..<4).map { _ in String(UInt32.random(in: .min ... .max), radix: 16) }.joined()
        let arguments = [
            "--password", password,
            "--companies", String(size.companies), "--partners", String(size.partners),
            "--employees", String(size.employees), "--expenses", String(size.expenses), "--moves", String(size.moves),
        ]
        let process = try DemoError.translating {
            try SimulatorProcess.launch(script: script, arguments: arguments, log: scratch.path("simulator.log"), newProcessGroup: true)
        }
        scratch.onTeardown { process.stop(grace: 5) }
        return Launched(process: process, size: size, password: password)
    }
}
