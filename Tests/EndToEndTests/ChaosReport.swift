import Foundation

/// The one line each scenario ends with, printed and, when `ODOO_ETL_CHAOS_REPORT` names a file
/// (`make chaos` passes bench/CHAOS.md), appended there with an indented line of what was counted.
struct ChaosReportLine {
    let scenario: String
    let faultsInjected: Int
    let retries: Int
    let rowsLost: Int
    let rowsDuplicated: Int
    /// What the counts are made of, and anything else measured.
    let details: [String]

    var line: String {
        "chaos \(scenario): faults injected \(faultsInjected), retries \(retries), rows lost \(rowsLost), rows duplicated \(rowsDuplicated)"
    }

    func publish(settings: ChaosSettings) {
        let detailText = details.map { "    \($0)\n" }.joined()
        print("\(line)\n\(detailText)", terminator: "")
        guard let path = ProcessInfo.processInfo.environment["ODOO_ETL_CHAOS_REPORT"], !path.isEmpty else { return }
        let url = URL(fileURLWithPath: path)
        var existing = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        if existing.isEmpty { existing = Self.header(settings) }
        // Indented four spaces: a Markdown code block, one line per scenario as printed.
        let entry = "    \(line)\n" + details.map { "        \($0)\n" }.joined()
        try? (existing + entry).write(to: url, atomically: true, encoding: .utf8)
    }

    private static func header(_ settings: ChaosSettings) -> String {
        let info = ProcessInfo.processInfo
        var uts = utsname()
        uname(&uts)
        let machine = withUnsafeBytes(of: &uts.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let release = withUnsafeBytes(of: &uts.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let memory = info.physicalMemory / 1_073_741_824
        return """
            # Chaos report

            Written by `make chaos` (Tests/EndToEndTests/Chaos*.swift) on \(ISO8601DateFormatter().string(from: Date())):
            \(settings.mode.rawValue) size, seed \(settings.seed) (`ODOO_ETL_CHAOS_SEED=\(settings.seed)` replays the random choices),
            \(info.activeProcessorCount) cores, \(memory) GB, Linux \(release) \(machine), the debug build of odoo-etl against the
            Odoo simulator and PostgreSQL. Rows lost and duplicated are counted by comparing a hash of each row's compared
            columns with the simulator's records; each scenario also passed `verify`, zero duplicate keys and checkpoints
            never ahead of data.


            """
    }
}
