import Foundation
import LocalServers

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A running Odoo simulator (simulator/simulator.py): a real HTTP server that
/// answers Odoo 18 (or 19) XML-RPC from seeded, deterministic data, plus a control API through
/// which a test injects faults, drives the clock, writes rows and asks for exact totals.
///
/// The process is stopped by `stop()` or when the object goes away, and it also exits on its own
/// if the test process dies.
public final class OdooSimulator: @unchecked Sendable {
    /// How to seed and configure the simulator. Sizes are totals spread round-robin over the companies.
    public struct Options: Sendable {
        public var odooVersion = 18
        public var seed = 42
        public var companies = 3
        public var partners = 60
        public var employees = 30
        public var expenses = 2000
        public var moves = 600
        /// Draft expenses imported in one transaction at mid-timeline: they share one write_date second.
        public var burst = 0
        /// Start of the seeded timeline, `YYYY-MM-DD HH:MM:SS` UTC.
        public var epoch = "2025-01-01 00:00:00"
        public var spanDays = 365
        public var database = "odoo_demo"
        public var login = "admin"
        public var password = "admin"
        public var apiKey: String?
        /// Answers at least this large are gzipped when the client accepts gzip; -1 never.
        public var gzipMinimumBytes = 1024
        public var verbose = false

        public init() {}

        var arguments: [String] {
            var result = [
                "--odoo-version", String(odooVersion), "--seed", String(seed), "--companies", String(companies),
                "--partners", String(partners), "--employees", String(employees), "--expenses", String(expenses),
                "--moves", String(moves), "--burst", String(burst), "--epoch", epoch, "--span-days", String(spanDays),
                "--database", database, "--login", login, "--password", password,
                "--gzip-min-bytes", String(gzipMinimumBytes),
            ]
            if let apiKey { result += ["--api-key", apiKey] }
            if verbose { result.append("--verbose") }
            return result
        }
    }

    /// `http://127.0.0.1:<port>`
    public let url: URL
    public let port: Int
    public let database: String
    public let login: String
    public let password: String
    /// The uid `authenticate` answers for `login`.
    public let uid = 2
    public let options: Options

    private let process: SimulatorProcess
    private let lock = NSLock()
    private var stopped = false

    /// Starts the simulator and waits until it listens (seeding 200k expenses takes a few seconds).
    public init(_ options: Options = Options(), startupTimeout: TimeInterval = 120) throws {
        self.options = options
        database = options.database
        login = options.login
        password = options.password
        let python = ProcessInfo.processInfo.environment["ODOO_SIMULATOR_PYTHON"] ?? "python3"
        let log = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("odoo-etl-simulator-\(getpid())-\(UUID().uuidString.prefix(8)).log").path
        let process = try SimulatorProcess.launch(
            script: TestPaths.simulator, arguments: options.arguments, log: log,
            python: python, newProcessGroup: false)
        do {
            port = try process.waitUntilReady(timeout: startupTimeout)
        } catch {
            // A simulator that exited is reaped already; one that stayed silent still runs.
            if case .simulatorTimedOut? = error as? LocalServersError { process.stop() }
            try? FileManager.default.removeItem(atPath: log)
            throw error
        }
        self.process = process
        url = URL(string: "http://127.0.0.1:\(port)")!
    }

    deinit {
        stop()
    }

    /// Stops the process (SIGTERM, then SIGKILL after five seconds) and removes its log. Safe to call twice.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        process.stop(grace: 5)
        try? FileManager.default.removeItem(atPath: process.log)
    }

    /// The XML-RPC endpoint of a service: `common` or `object`.
    public func endpoint(_ service: String) -> URL {
        url.appendingPathComponent("xmlrpc/2/\(service)")
    }

    // MARK: - Faults

    /// What an injected fault does to the requests it strikes.
    public enum FaultKind: Sendable {
        /// An HTTP error with an nginx-style HTML body (502, 503, 504, 429...).
        case status(Int, retryAfter: Int? = nil)
        /// An HTML page with status 200 instead of XML.
        case html
        /// Sleep, then answer normally.
        case delay(seconds: Double)
        /// Close the connection without answering.
        case drop
        /// Abort the connection (TCP RST).
        case reset
        /// Answer normally but close after this fraction of the body.
        case truncate(fraction: Double)
        /// An XML-RPC fault with HTTP 200.
        case xmlrpcFault(code: Int, message: String)
    }

    /// A fault rule: strikes the next `count` matching requests (nil: until cleared) after letting
    /// `skip` matching ones through. `method` is execute_kw's ORM method (`search_read`) or a
    /// `common` method (`authenticate`).
    public struct Fault: Sendable {
        public var kind: FaultKind
        public var count: Int?
        public var skip: Int
        public var service: String?
        public var method: String?
        public var model: String?
        public var path: String?
        public var delaySeconds: Double

        public init(
            _ kind: FaultKind, count: Int? = 1, skip: Int = 0, service: String? = nil, method: String? = nil,
            model: String? = nil, path: String? = nil, delaySeconds: Double = 0
        ) {
            self.kind = kind
            self.count = count
            self.skip = skip
            self.service = service
            self.method = method
            self.model = model
            self.path = path
            self.delaySeconds = delaySeconds
        }

        var json: [String: Any] {
            var rule: [String: Any] = [
                "count": count.map { $0 as Any } ?? NSNull(), "skip": skip,
                "delay_seconds": delaySeconds,
            ]
            switch kind {
            case .status(let status, let retryAfter):
                rule["kind"] = "status"
                rule["status"] = status
                if let retryAfter { rule["retry_after"] = retryAfter }
            case .html:
                rule["kind"] = "html"
            case .delay(let seconds):
                rule["kind"] = "delay"
                rule["seconds"] = seconds
            case .drop:
                rule["kind"] = "drop"
            case .reset:
                rule["kind"] = "reset"
            case .truncate(let fraction):
                rule["kind"] = "truncate"
                rule["fraction"] = fraction
            case .xmlrpcFault(let code, let message):
                rule["kind"] = "fault"
                rule["code"] = code
                rule["message"] = message
            }
            for (key, value) in [("service", service), ("method", method), ("model", model), ("path", path)] {
                if let value { rule[key] = value }
            }
            return rule
        }
    }

    public func inject(_ faults: Fault...) throws {
        _ = try control("faults", ["rules": faults.map(\.json)])
    }

    public func clearFaults() throws {
        _ = try control("faults/clear", [:])
    }

    // MARK: - Clock

    /// Freezes the database clock at `timestamp` (`YYYY-MM-DD HH:MM:SS[.ffffff]` UTC); each writing
    /// transaction then moves it on by `stepMicroseconds`.
    public func setClock(_ timestamp: String, stepMicroseconds: Int = 0) throws {
        _ = try control("clock", ["set": timestamp, "step_us": stepMicroseconds])
    }

    public func advanceClock(seconds: Double) throws {
        _ = try control("clock", ["advance_seconds": seconds])
    }

    /// Back to wall-clock time, optionally shifted.
    public func useRealClock(offsetSeconds: Double = 0) throws {
        _ = try control("clock", ["real": true, "offset_seconds": offsetSeconds])
    }

    // MARK: - Data

    /// Regenerates all data (and clears faults, statistics and the manual clock). Unset sizes keep
    /// their current value.
    public func reseed(
        seed: Int? = nil, companies: Int? = nil, partners: Int? = nil, employees: Int? = nil,
        expenses: Int? = nil, moves: Int? = nil, burst: Int? = nil
    ) throws {
        var body: [String: Any] = [:]
        for (key, value) in [
            ("seed", seed), ("companies", companies), ("partners", partners),
            ("employees", employees), ("expenses", expenses), ("moves", moves), ("burst", burst),
        ] {
            if let value { body[key] = value }
        }
        _ = try control("reset", body)
    }

    /// The rows one transaction wrote and the timestamp they share (microseconds included).
    public struct Written: Sendable {
        public var ids: [Int]
        public var writeDate: String
    }

    /// Creates `count` copies of a company's first record of `model` (with `values` applied) in one
    /// transaction, stamped `at` or the clock's now: e.g. 5,000 expenses sharing one second.
    public func create(
        model: String, count: Int, companyID: Int? = nil, values: [String: Any] = [:],
        at timestamp: String? = nil
    ) throws -> Written {
        var body: [String: Any] = ["model": model, "count": count, "values": values]
        if let companyID { body["company_id"] = companyID }
        if let timestamp { body["at"] = timestamp }
        return try written(control("create", body))
    }

    /// Writes `values` on `ids` in one transaction, stamped `at` or the clock's now.
    public func write(model: String, ids: [Int], values: [String: Any], at timestamp: String? = nil) throws -> Written {
        var body: [String: Any] = ["model": model, "ids": ids, "values": values]
        if let timestamp { body["at"] = timestamp }
        return try written(control("write", body))
    }

    /// Hard-deletes rows (invisible to write_date, as in Odoo).
    public func unlink(model: String, ids: [Int]) throws {
        _ = try control("unlink", ["model": model, "ids": ids])
    }

    /// Stored write_date/create_date of `ids` with their microseconds, keyed by id.
    public func storedWriteDates(model: String, ids: [Int]) throws -> [Int: String] {
        let answer = try control("read", ["model": model, "ids": ids, "fields": ["write_date"]])
        var result: [Int: String] = [:]
        for record in answer["records"] as? [[String: Any]] ?? [] {
            if let id = record["id"] as? Int, let writeDate = record["write_date"] as? String {
                result[id] = writeDate
            }
        }
        return result
    }

    // MARK: - Long transactions

    /// Begins a transaction whose rows will carry this moment's timestamp, however late it commits.
    public func beginTransaction(at timestamp: String? = nil) throws -> Int {
        var body: [String: Any] = [:]
        if let timestamp { body["at"] = timestamp }
        guard let number = try control("transactions/begin", body)["transaction"] as? Int else {
            throw OdooSimulatorError.invalidAnswer(path: "transactions/begin")
        }
        return number
    }

    /// Stages copies in an open transaction: ids are taken now, rows become visible at commit.
    public func create(
        inTransaction transaction: Int, model: String, count: Int, companyID: Int? = nil,
        values: [String: Any] = [:]
    ) throws -> [Int] {
        var body: [String: Any] = ["model": model, "count": count, "values": values]
        if let companyID { body["company_id"] = companyID }
        return try control("transactions/\(transaction)/create", body)["ids"] as? [Int] ?? []
    }

    public func write(inTransaction transaction: Int, model: String, ids: [Int], values: [String: Any]) throws {
        _ = try control("transactions/\(transaction)/write", ["model": model, "ids": ids, "values": values])
    }

    public func commit(transaction: Int) throws {
        _ = try control("transactions/\(transaction)/commit", [:])
    }

    // MARK: - Totals and statistics

    /// Exact count and sum of one group.
    public struct Total: Sendable, Equatable {
        public var count: Int
        /// The sum with two decimals, e.g. "1234.50".
        public var sum: String
        public var cents: Int
    }

    public struct Totals: Sendable {
        /// Keyed by the group value as JSON text: company ids read "1", "2"; an empty value "null".
        public var groups: [String: Total]
        public var total: Total
    }

    /// Per-company (or per-`groupBy`) count and sum of a numeric field over every row, archived included.
    public func totals(model: String, field: String, groupBy: String = "company_id") throws -> Totals {
        let answer = try control("totals", ["model": model, "field": field, "group_by": groupBy])
        func total(_ value: Any?) throws -> Total {
            guard let value = value as? [String: Any], let count = value["count"] as? Int,
                let sum = value["sum"] as? String, let cents = value["cents"] as? Int
            else {
                throw OdooSimulatorError.invalidAnswer(path: "totals")
            }
            return Total(count: count, sum: sum, cents: cents)
        }
        var groups: [String: Total] = [:]
        for (key, value) in answer["groups"] as? [String: Any] ?? [:] {
            groups[key] = try total(value)
        }
        return Totals(groups: groups, total: try total(answer["total"]))
    }

    public struct Statistics: Sendable {
        public var requests: Int
        /// e.g. "object execute_kw hr.expense search_read" -> 12
        public var byCall: [String: Int]
        public var faultsInjected: Int
    }

    public func statistics() throws -> Statistics {
        let answer = try control("stats", nil)
        return Statistics(
            requests: answer["requests"] as? Int ?? 0, byCall: answer["by_call"] as? [String: Int] ?? [:],
            faultsInjected: answer["faults_injected"] as? Int ?? 0)
    }

    public func resetStatistics() throws {
        _ = try control("stats/reset", [:])
    }

    // MARK: - Control transport

    /// Calls `/__control__/<path>`: POST with a JSON body, or GET when `body` is nil.
    @discardableResult
    public func control(_ path: String, _ body: [String: Any]?) throws -> [String: Any] {
        var request = URLRequest(url: url.appendingPathComponent("__control__/\(path)"))
        request.timeoutInterval = 300
        if let body {
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
        }
        let (status, data) = try BlockingHTTP.send(request)
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        guard status == 200, let object else {
            let message = (object?["error"] as? String) ?? String(decoding: data, as: UTF8.self)
            throw OdooSimulatorError.controlFailed(path: path, status: status, message: message)
        }
        return object
    }

    private func written(_ answer: [String: Any]) throws -> Written {
        guard let ids = answer["ids"] as? [Int], let writeDate = answer["write_date"] as? String else {
            throw OdooSimulatorError.invalidAnswer(path: "create/write")
        }
        return Written(ids: ids, writeDate: writeDate)
    }
}

public enum OdooSimulatorError: Error, CustomStringConvertible {
    case controlFailed(path: String, status: Int, message: String)
    case invalidAnswer(path: String)
    case transport(String)

    public var description: String {
        switch self {
        case .controlFailed(let path, let status, let message):
            return "The simulator's control endpoint \(path) answered HTTP \(status): \(message)"
        case .invalidAnswer(let path):
            return "The simulator's control endpoint \(path) answered something unexpected."
        case .transport(let detail):
            return "Could not reach the Odoo simulator: \(detail)"
        }
    }
}

/// Blocking HTTP for tests: one URLSession request, waited for on the calling thread.
public enum BlockingHTTP {
    private final class Outcome: @unchecked Sendable {
        var status = 0
        var data = Data()
        var error: Error?
    }

    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        return URLSession(configuration: configuration)
    }()

    /// Sends `request` and returns the status and body; throws on a transport failure.
    public static func send(_ request: URLRequest) throws -> (status: Int, body: Data) {
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            outcome.data = data ?? Data()
            outcome.status = (response as? HTTPURLResponse)?.statusCode ?? 0
            outcome.error = error
            done.signal()
        }
        task.resume()
        done.wait()
        if let error = outcome.error {
            throw OdooSimulatorError.transport("\(request.url?.absoluteString ?? "?"): \(error.localizedDescription)")
        }
        return (outcome.status, outcome.data)
    }
}
