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
        var bytes = Array(text.utf8)[...]
        let negative = bytes.first == UInt8(ascii: "-")
        if negative || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        var exponent = 0
        if let e = bytes.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            guard let value = Int(String(decoding: bytes[(e + 1)...], as: UTF8.self)) else { return nil }
            exponent = value
            bytes = bytes[..<e]
        }
        var allDigits: [UInt8] = []
        allDigits.reserveCapacity(bytes.count)
        var integerCount = 0
        var seenPoint = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { return nil }
                seenPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            allDigits.append(byte - UInt8(ascii: "0"))
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
        var bytes: [UInt8] = []
        bytes.reserveCapacity(max(value.pointPosition, 1) + scale + 2)
        func digit(at position: Int) -> UInt8 {
            UInt8(ascii: "0") + (position >= 0 && position < value.digits.count ? value.digits[position] : 0)
        }
        if value.isNegative { bytes.append(UInt8(ascii: "-")) }
        if value.pointPosition > 0 {
            for position in 0..<value.pointPosition { bytes.append(digit(at: position)) }
        } else {
            bytes.append(UInt8(ascii: "0"))
        }
        if scale > 0 {
            bytes.append(UInt8(ascii: "."))
            for offset in 0..<scale { bytes.append(digit(at: value.pointPosition + offset)) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// As many fractional digits as the value has, at least `minimumScale`, rounded half away
    /// from zero to at most `maximumScale`: money as Odoo stores it (`2500.00`, `1.235`).
    public func text(minimumScale: Int, maximumScale: Int) -> String {
        let value = rounded(scale: maximumScale)
        return value.text(scale: max(minimumScale, value.digits.count - value.pointPosition))
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
