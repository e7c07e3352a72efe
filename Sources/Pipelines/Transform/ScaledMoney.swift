/// The fast path of money conversion, for the common case: an amount with at most `scale`
/// decimals, read as a whole number of 10^-scale units without building its digit string.
///
/// Why it agrees with `ExactDecimal` (shortest text, rounded half away from zero): if x·10^s lies
/// within 1e-6 of an integer n, with |n| < 10^12, then x is within about 3·10^-4 units of n, and so is
/// its shortest text (one ulp away at most), which is nowhere near a rounding tie (half a unit
/// away): rounding it to `scale` places gives exactly n. Anything else (more decimals, larger
/// amounts, scales above 6) takes the exact path.
enum ScaledMoney {
    private static let powers: [Double] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]
    private static let integerPowers: [Int64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]

    /// `value` in units of 10^-scale, or nil when the exact path must decide.
    static func units(_ value: Double, scale: Int) -> Int64? {
        guard scale >= 0, scale < powers.count, value.isFinite else { return nil }
        let scaled = value * powers[scale]
        let nearest = scaled.rounded()
        guard abs(scaled - nearest) < 1e-6, abs(nearest) < 1e12 else { return nil }
        return Int64(nearest)
    }

    /// `-2500.00` for units -250000 at scale 2; never `-0.00`.
    static func text(units: Int64, scale: Int) -> String {
        let power = integerPowers[scale]
        let magnitude = units.magnitude
        var text = units < 0 ? "-" : ""
        text += String(magnitude / UInt64(power))
        guard scale > 0 else { return text }
        let fraction = String(magnitude % UInt64(power))
        return text + "." + String(repeating: "0", count: scale - fraction.count) + fraction
    }

    /// Digits before the point, as `ExactDecimal.integerDigitCount` counts them (0 below 1).
    static func integerDigitCount(units: Int64, scale: Int) -> Int {
        var whole = units.magnitude / UInt64(integerPowers[scale])
        var count = 0
        while whole > 0 {
            count += 1
            whole /= 10
        }
        return count
    }
}
