import Foundation

/// How hard the chaos suite hits: `ODOO_ETL_CHAOS=full` (what `make chaos` runs) or the bounded
/// default that `make test` and CI run in a few minutes on two cores. `ODOO_ETL_CHAOS_SEED`
/// replays the random choices (kill moments, fault positions) of an earlier run.
struct ChaosSettings {
    enum Mode: String {
        case bounded, full
    }

    let mode: Mode
    let seed: UInt64

    /// SIGKILLs during the kill scenario, and the expenses of its simulator (about 4/3 of that in
    /// records, expense reports and the rest included).
    let kills: Int
    let killExpenses: Int
    /// `pg_terminate_backend` calls on the loader's connections.
    let terminations: Int
    let terminationExpenses: Int
    /// `pg_ctl restart -m fast` while a sync runs.
    let restarts: Int
    let restartExpenses: Int
    /// Rounds of the Odoo fault matrix (each round runs every fault phase once).
    let faultRounds: Int
    let faultExpenses: Int
    /// Rounds of overlapping runs; they alternate two and three runs at once.
    let overlapRounds: Int
    let overlapExpenses: Int

    static let current = ChaosSettings(environment: ProcessInfo.processInfo.environment)

    init(environment: [String: String]) {
        mode = Mode(rawValue: environment["ODOO_ETL_CHAOS"]?.lowercased() ?? "") ?? .bounded
        seed = environment["ODOO_ETL_CHAOS_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...999_999)
        switch mode {
        case .bounded:
            kills = 5
            killExpenses = 7_500
            terminations = 8
            terminationExpenses = 4_500
            restarts = 1
            restartExpenses = 4_500
            faultRounds = 1
            faultExpenses = 2_400
            overlapRounds = 2
            overlapExpenses = 3_000
        case .full:
            kills = 20
            killExpenses = 75_000
            terminations = 30
            terminationExpenses = 24_000
            restarts = 3
            restartExpenses = 24_000
            faultRounds = 3
            faultExpenses = 9_000
            overlapRounds = 6
            overlapExpenses = 12_000
        }
    }

    /// A generator for one scenario: the same seed and scenario give the same choices.
    func random(for scenario: String) -> SeededRandom {
        SeededRandom(seed: scenario.utf8.reduce(seed) { ($0 &* 31) &+ UInt64($1) })
    }
}

/// SplitMix64: small, fast and reproducible from its seed, which `SystemRandomNumberGenerator` is not.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func seconds(_ range: ClosedRange<Double>) -> Double {
        Double.random(in: range, using: &self)
    }

    mutating func integer(_ range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &self)
    }
}
