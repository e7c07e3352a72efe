/// Reading the text of XML-RPC scalars. Numbers are read straight from the UTF-8 bytes because
/// this runs once per value of responses that hold millions of them.
enum ScalarText {
    /// True for "" and for text made only of XML whitespace (space, tab, CR, LF).
    static func isBlank(_ text: String) -> Bool {
        for byte in text.utf8 where !isSpace(byte) {
            return false
        }
        return true
    }

    /// The text without leading and trailing XML whitespace, as Python's `int()`/`float()` and
    /// `DateTime` read it.
    static func trimmed(_ text: String) -> Substring {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last, isSpace(first) || isSpace(last) else {
            return Substring(text)
        }
        guard let start = utf8.firstIndex(where: { !isSpace($0) }),
            let end = utf8.lastIndex(where: { !isSpace($0) })
        else {
            return ""
        }
        return text[start...end]
    }

    /// A decimal integer with an optional sign, surrounded by optional whitespace; nil when it is
    /// anything else or does not fit in 64 bits.
    static func int64(_ text: String) -> Int64? {
        var value: Int64 = 0
        var negative = false
        var digits = 0
        var state = 0  // 0: leading space, 1: sign seen, 2: digits, 3: trailing space
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard state <= 2 else { return nil }
                state = 2
                let digit = Int64(byte &- UInt8(ascii: "0"))
                let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
                // Accumulate negatively so that Int64.min, whose magnitude exceeds Int64.max, fits.
                let (next, overflow2) = shifted.subtractingReportingOverflow(digit)
                guard !overflow1 && !overflow2 else { return nil }
                value = next
                digits += 1
            case UInt8(ascii: "-"), UInt8(ascii: "+"):
                guard state == 0 else { return nil }
                state = 1
                negative = byte == UInt8(ascii: "-")
            default:
                guard isSpace(byte) else { return nil }
                switch state {
                case 0: continue
                case 2: state = 3
                case 3: continue
                default: return nil
                }
            }
        }
        guard digits > 0 else { return nil }
        if negative { return value }
        guard value != Int64.min else { return nil }
        return -value
    }

    static func double(_ text: String) -> Double? {
        Double(trimmed(text))
    }

    /// At most 40 characters of `text` for a message.
    static func excerpt(_ text: String) -> String {
        text.count > 40 ? String(text.prefix(40)) + "…" : text
    }

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }
}
