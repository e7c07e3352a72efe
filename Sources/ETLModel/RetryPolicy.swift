import Foundation

/// How a step is retried after a transient failure (Odoo read calls: `OdooError.isRetryable`;
/// warehouse steps: SQLSTATE 40001/40P01, admin shutdown, lost connections): bounded exponential
/// backoff with jitter, from the environment's `etl.retries`. Calls that write to Odoo are never retried.
public struct RetryPolicy: Sendable, Equatable {
    /// Total sends of one call, the first included; 1 means no retry.
    public var maxAttempts: Int
    /// The wait before the first retry; each later wait doubles, up to `maxBackoff`.
    public var initialBackoff: TimeInterval
    public var maxBackoff: TimeInterval
    /// Each wait is scaled by a random factor in `1 - jitter ... 1 + jitter`, so that several
    /// workers failing together do not come back together.
    public var jitter: Double
    /// Waits; tests inject one that records instead of sleeping.
    public var sleep: @Sendable (TimeInterval) -> Void
    /// A uniform random number in 0..<1, for the jitter; injectable for tests.
    public var random: @Sendable () -> Double

    public init(
        maxAttempts: Int = 4, initialBackoff: TimeInterval = 1, maxBackoff: TimeInterval = 30, jitter: Double = 0.2,
        sleep: @escaping @Sendable (TimeInterval) -> Void = { Thread.sleep(forTimeInterval: $0) },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = max(0, initialBackoff)
        self.maxBackoff = max(0, maxBackoff)
        self.jitter = min(max(0, jitter), 1)
        self.sleep = sleep
        self.random = random
    }

    /// Four attempts waiting about 1, 2 and 4 seconds: rides out a proxy restart or a short overload.
    public static let standard = RetryPolicy()

    /// One attempt: every failure is final.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// Two policies are equal when they wait alike; the injected `sleep` and `random` are not compared.
    public static func == (a: RetryPolicy, b: RetryPolicy) -> Bool {
        (a.maxAttempts, a.initialBackoff, a.maxBackoff, a.jitter) == (b.maxAttempts, b.initialBackoff, b.maxBackoff, b.jitter)
    }

    /// The wait before retry number `retry` (1 for the first retry).
    public func backoff(beforeRetry retry: Int) -> TimeInterval {
        let exponent = Double(max(0, retry - 1))
        let base = min(maxBackoff, initialBackoff * pow(2, exponent))
        let factor = 1 + jitter * (2 * random() - 1)
        return max(0, base * factor)
    }

    /// Runs `body` until it succeeds, fails with an error `isTransient` does not accept, or the
    /// attempts run out (then the last error is thrown). Between tries it waits the backoff, then
    /// calls `beforeRetry` (to replace a lost connection, say, drawing on the same `attempt`).
    /// `attempt` is the number of the try under way, shared by steps that draw on one budget.
    public func run<T>(
        attempt: inout Int, isTransient: (Error) -> Bool,
        beforeRetry: (_ error: Error, _ attempt: inout Int) throws -> Void = { _, _ in },
        _ body: () throws -> T
    ) throws -> T {
        while true {
            do {
                return try body()
            } catch  where isTransient(error) && attempt < maxAttempts {
                sleep(backoff(beforeRetry: attempt))
                attempt += 1
                try beforeRetry(error, &attempt)
            }
        }
    }
}
