/// A decimal number held as digits, for money: built from a Double's shortest round-trip text
/// (what Odoo meant, e.g. `1234.565`), rounded half away from zero, never through float arithmetic.
public struct ExactDecimal: Hashable, Sendable, CustomStringConvertible {
    /// Magnitude digits without leading zeros ("" for zero).
    let digits: [UInt8]
    /// Position of the decimal point within `digits`: value = 0.digits × 10^pointPosition.
    let pointPosition: Int
    public let isNegative: Bool

    /// Nil for NaN and infinities.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        self.init(shortestText: value.description)
    }

    public init(_ value: Int64) {
        self.init(shortestText: String(value))!
    }

    /// Parses `-12.5`, `1e-07`, `1.2345e+20` (Swift's `Double.description` forms).
    init?(shortestText text: String) {
        var scalars = Substring(text)
        let negative = scalars.first == "-"
        if negative || scalars.first == "+" { scalars = scalars.dropFirst() }
        var exponent = 0
        if let e = scalars.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let value = Int(scalars[scalars.index(after: e)...]) else { return nil }
            exponent = value
            scalars = scalars[..<e]
        }
        var allDigits: [UInt8] = []
        var integerCount = 0
        var seenPoint = false
        for character in scalars {
            if character == "." {
                guard !seenPoint else { return nil }
                seenPoint = true
                continue
            }
            guard let digit = character.wholeNumberValue, character.isASCII else { return nil }
            allDigits.append(UInt8(digit))
            if !seenPoint { integerCount += 1 }
        }
        guard !allDigits.isEmpty else { return nil }
        var point = integerCount + exponent
        let leadingZeros = allDigits.prefix { $0 == 0 }.count
        allDigits.removeFirst(leadingZeros)
        point -= leadingZeros
        while allDigits.last == 0 { allDigits.removeLast() }
        self.init(digits: allDigits, pointPosition: allDigits.isEmpty ? 0 : point, isNegative: negative)
    }

    private init(digits: [UInt8], pointPosition: Int, isNegative: Bool) {
        self.digits = digits
        self.pointPosition = pointPosition
        self.isNegative = isNegative && !digits.isEmpty
    }

    public var isZero: Bool { digits.isEmpty }

    /// Significant digits before the decimal point once rounded to `scale` (0 for |value| < 1): what
    /// PostgreSQL checks against `numeric(p, s)`'s limit of p − s.
    public func integerDigitCount(roundedTo scale: Int) -> Int {
        max(0, rounded(scale: scale).pointPosition)
    }

    /// Rounded to `scale` fractional digits, ties away from zero (1234.565 → 1234.57, -0.005 → -0.01).
    public func rounded(scale: Int) -> ExactDecimal {
        let keep = pointPosition + scale
        guard keep < digits.count else { return self }
        guard keep >= 0 else { return ExactDecimal(digits: [], pointPosition: 0, isNegative: false) }
        var kept = Array(digits[..<keep])
        var point = pointPosition
        if digits[keep] >= 5 {
            var index = kept.count - 1
            while index >= 0, kept[index] == 9 {
                kept[index] = 0
                index -= 1
            }
            if index >= 0 {
                kept[index] += 1
            } else {
                kept.insert(1, at: 0)
                point += 1
            }
        }
        let leadingZeros = kept.prefix { $0 == 0 }.count
        kept.removeFirst(leadingZeros)
        point -= leadingZeros
        while kept.last == 0 { kept.removeLast() }
        return ExactDecimal(digits: kept, pointPosition: kept.isEmpty ? 0 : point, isNegative: isNegative)
    }

    /// Exact text with exactly `scale` fractional digits, rounded half away from zero: `-2500.00`.
    public func text(scale: Int) -> String {
        let value = rounded(scale: scale)
        func digit(at position: Int) -> Character {
            position >= 0 && position < value.digits.count ? Character(String(value.digits[position])) : "0"
        }
        let integerPart = value.pointPosition > 0 ? String((0..<value.pointPosition).map(digit)) : "0"
        let fractionPart = String((0..<scale).map { digit(at: value.pointPosition + $0) })
        let sign = value.isNegative ? "-" : ""
        return scale > 0 ? "\(sign)\(integerPart).\(fractionPart)" : "\(sign)\(integerPart)"
    }

    /// Compares magnitudes: is |self| ≤ `limit`?
    public func magnitudeIsAtMost(_ limit: Int64) -> Bool {
        let bound = ExactDecimal(shortestText: String(limit.magnitude))!
        if digits.isEmpty { return true }
        if bound.digits.isEmpty { return false }
        if pointPosition != bound.pointPosition { return pointPosition < bound.pointPosition }
        for index in 0..<max(digits.count, bound.digits.count) {
            let mine = index < digits.count ? digits[index] : 0
            let theirs = index < bound.digits.count ? bound.digits[index] : 0
            if mine != theirs { return mine < theirs }
        }
        return true
    }

    /// The shortest exact text, e.g. `1234.565`, `0.0000001`.
    public var description: String {
        let fraction = max(0, digits.count - pointPosition)
        return text(scale: fraction)
    }
}
