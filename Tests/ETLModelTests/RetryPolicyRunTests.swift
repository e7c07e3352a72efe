import ETLModel
import XCTest

/// The one retry loop: how many tries, which waits, and what is thrown at the end.
final class RetryPolicyRunTests: XCTestCase {
    private struct Transient: Error {}
    private struct Terminal: Error {}

    private final class Waits: @unchecked Sendable {
        var seconds: [Double] = []
    }

    private func policy(attempts: Int, waits: Waits) -> RetryPolicy {
        RetryPolicy(
            maxAttempts: attempts, initialBackoff: 1, maxBackoff: 30, jitter: 0,
            sleep: { waits.seconds.append($0) }, random: { 0.5 })
    }

    func testATransientFailureIsTriedAgainWithDoublingWaitsUntilItSucceeds() throws {
        let waits = Waits()
        var attempt = 1
        var tries = 0
        let value = try policy(attempts: 4, waits: waits).run(attempt: &attempt, isTransient: { $0 is Transient }) {
            tries += 1
            if tries < 3 { throw Transient() }
            return "done"
        }
        XCTAssertEqual(value, "done")
        XCTAssertEqual(tries, 3)
        XCTAssertEqual(attempt, 3)
        XCTAssertEqual(waits.seconds, [1, 2])
    }

    func testTheLastTransientErrorIsThrownWhenAttemptsRunOut() {
        let waits = Waits()
        var attempt = 1
        var tries = 0
        XCTAssertThrowsError(
            try policy(attempts: 3, waits: waits).run(attempt: &attempt, isTransient: { $0 is Transient }) {
                tries += 1
                throw Transient()
            }
        ) { XCTAssertTrue($0 is Transient) }
        XCTAssertEqual(tries, 3)
        XCTAssertEqual(waits.seconds.count, 2)
    }

    func testATerminalErrorIsThrownAtOnce() {
        let waits = Waits()
        var attempt = 1
        var tries = 0
        XCTAssertThrowsError(
            try policy(attempts: 5, waits: waits).run(attempt: &attempt, isTransient: { $0 is Transient }) {
                tries += 1
                throw Terminal()
            }
        ) { XCTAssertTrue($0 is Terminal) }
        XCTAssertEqual(tries, 1)
        XCTAssertEqual(waits.seconds, [])
    }

    /// A reconnect in `beforeRetry` draws on the same budget as the step it serves.
    func testBeforeRetrySharesTheAttemptBudget() {
        let waits = Waits()
        let policy = policy(attempts: 3, waits: waits)
        var attempt = 1
        var reconnects = 0
        XCTAssertThrowsError(
            try policy.run(
                attempt: &attempt, isTransient: { $0 is Transient },
                beforeRetry: { _, attempt in
                    reconnects += 1
                    attempt += 1
                }
            ) { throw Transient() })
        XCTAssertEqual(reconnects, 1, "the reconnect used the second attempt, the step had the first")
        XCTAssertEqual(attempt, 3)
    }
}
