import ETLModel
import Foundation
import OdooRPC
import TestSupport
import XCTest

/// One Odoo simulator process per test class (seeded as `simulatorOptions` says), and clients of it.
class SimulatorTestCase: XCTestCase {
    class var simulatorOptions: OdooSimulator.Options {
        var options = OdooSimulator.Options()
        options.companies = 3
        options.expenses = 1_000
        options.moves = 30
        options.partners = 20
        options.employees = 9
        return options
    }

    nonisolated(unsafe) private static var running: [ObjectIdentifier: Result<OdooSimulator, Error>] = [:]

    override class func setUp() {
        super.setUp()
        running[ObjectIdentifier(self)] = Result { try OdooSimulator(simulatorOptions) }
    }

    override class func tearDown() {
        if case .success(let simulator)? = running.removeValue(forKey: ObjectIdentifier(self)) {
            simulator.stop()
        }
        super.tearDown()
    }

    var simulator: OdooSimulator {
        get throws {
            guard let running = Self.running[ObjectIdentifier(type(of: self))] else {
                throw XCTSkip("the Odoo simulator was not started")
            }
            return try running.get()
        }
    }

    /// A client of the simulator whose retries wait only milliseconds.
    func client(password: String? = nil, database: String? = nil, maxAttempts: Int = 4, requestTimeout: TimeInterval = 60) throws
        -> OdooClient
    {
        let simulator = try simulator
        let settings = OdooConnectionSettings(
            url: simulator.url.absoluteString, database: database ?? simulator.database,
            login: simulator.login, password: password ?? simulator.password,
            connectTimeout: 5, requestTimeout: requestTimeout)
        return OdooClient(
            settings: settings,
            retryPolicy: RetryPolicy(
                maxAttempts: maxAttempts, initialBackoff: 0.01,
                maxBackoff: 0.05, jitter: 0))
    }

    /// Reads everything the configuration selects with the blocking reader.
    func readAll(_ reader: IncrementalReader, between: (OdooBatch) throws -> Void = { _ in }) throws -> [OdooBatch] {
        var batches: [OdooBatch] = []
        while let batch = try reader.next() {
            batches.append(batch)
            try between(batch)
        }
        return batches
    }
}
