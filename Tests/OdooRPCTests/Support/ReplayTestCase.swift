import ETLModel
import Foundation
import OdooRPC
import XCTest

/// A fresh `ReplayServer` per test and clients pointed at it.
class ReplayTestCase: XCTestCase {
    var server: ReplayServer!
    /// The waits the retry policy asked for, instead of sleeping.
    let sleeps = SleepRecorder()

    override func setUpWithError() throws {
        try super.setUpWithError()
        server = try ReplayServer()
    }

    override func tearDown() {
        server.stop()
        server = nil
        super.tearDown()
    }

    func settings(
        database: String = "odoo_demo", login: String = "admin", password: String = "admin",
        requestTimeout: TimeInterval = 10
    ) -> OdooConnectionSettings {
        OdooConnectionSettings(
            url: server.url, database: database, login: login, password: password,
            connectTimeout: 5, requestTimeout: requestTimeout)
    }

    /// A client whose retry policy records its waits and has no jitter.
    func client(
        database: String = "odoo_demo", password: String = "admin", maxAttempts: Int = 4,
        requestTimeout: TimeInterval = 10
    ) -> OdooClient {
        let recorder = sleeps
        let policy = RetryPolicy(
            maxAttempts: maxAttempts, initialBackoff: 0.5, maxBackoff: 4, jitter: 0,
            sleep: { recorder.record($0) })
        return OdooClient(
            settings: settings(database: database, password: password, requestTimeout: requestTimeout),
            retryPolicy: policy)
    }
}

final class SleepRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [TimeInterval] = []

    func record(_ seconds: TimeInterval) {
        lock.lock()
        recorded.append(seconds)
        lock.unlock()
    }

    var waits: [TimeInterval] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }
}
