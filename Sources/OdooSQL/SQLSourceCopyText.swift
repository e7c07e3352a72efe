import ETLModel
import Foundation

/// Rows of `COPY … TO STDOUT` in PostgreSQL's text format, kept as the raw bytes of one page:
/// fields separated by tabs, `\N` for NULL, and backslash escapes for backslash, newline,
/// carriage return, tab, backspace, form feed and vertical tab.
struct SQLSourceCopyRows {
    private(set) var bytes: [UInt8] = []
    /// Where each row starts in `bytes`; row `i` ends before its newline at `starts[i + 1] - 1`.
    private(set) var starts: [Int] = []

    var count: Int { starts.count }

    init() {}

    /// Appends one row as `copyOut` hands it over (with its trailing newline).
    mutating func append(_ row: UnsafeRawBufferPointer) {
        starts.append(bytes.count)
        bytes.append(contentsOf: row)
        if bytes.last != 0x0A { bytes.append(0x0A) }
    }

    /// Keeps the first `count` rows.
    mutating func truncate(to count: Int) {
        guard count < starts.count else { return }
        bytes.removeSubrange(starts[count]...)
        starts.removeSubrange(count...)
    }

    /// The same rows in the order of `indices`.
    func reordered(_ indices: [Int]) -> SQLSourceCopyRows {
        var result = SQLSourceCopyRows()
        result.bytes.reserveCapacity(bytes.count)
        result.starts.reserveCapacity(indices.count)
        for index in indices {
            let end = index + 1 < starts.count ? starts[index + 1] : bytes.count
            result.starts.append(result.bytes.count)
            result.bytes.append(contentsOf: bytes[starts[index]..<end])
        }
        return result
    }

    /// The field ranges of row `index`, in `bytes`.
    func fields(ofRow index: Int, into ranges: inout [Range<Int>]) {
        ranges.removeAll(keepingCapacity: true)
        let end = (index + 1 < starts.count ? starts[index + 1] : bytes.count) - 1
        var fieldStart = starts[index]
        bytes.withUnsafeBufferPointer { buffer in
            var position = fieldStart
            while position < end {
                if buffer[position] == 0x09 {
                    ranges.append(fieldStart..<position)
                    fieldStart = position + 1
                }
                position += 1
            }
        }
        ranges.append(fieldStart..<end)
    }

    func isNull(_ range: Range<Int>) -> Bool {
        range.count == 2 && bytes[range.lowerBound] == 0x5C && bytes[range.lowerBound + 1] == 0x4E
    }

    /// The field's text with COPY escapes undone.
    func string(_ range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { buffer in
            let slice = UnsafeBufferPointer(rebasing: buffer[range])
            guard slice.contains(0x5C) else { return String(decoding: slice, as: UTF8.self) }
            var output: [UInt8] = []
            output.reserveCapacity(slice.count)
            var index = 0
            while index < slice.count {
                let byte = slice[index]
                index += 1
                guard byte == 0x5C, index < slice.count else {
                    output.append(byte)
                    continue
                }
                let escaped = slice[index]
                index += 1
                switch escaped {
                case 0x6E: output.append(0x0A)  // \n
                case 0x72: output.append(0x0D)  // \r
                case 0x74: output.append(0x09)  // \t
                case 0x62: output.append(0x08)  // \b
                case 0x66: output.append(0x0C)  // \f
                case 0x76: output.append(0x0B)  // \v
                default: output.append(escaped)  // \\ and any other escaped byte stand for themselves
                }
            }
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// A decimal integer field, without allocating.
    func integer(_ range: Range<Int>) -> Int64? {
        guard !range.isEmpty else { return nil }
        var index = range.lowerBound
        var negative = false
        if bytes[index] == 0x2D {
            negative = true
            index += 1
            guard index < range.upperBound else { return nil }
        }
        var value: Int64 = 0
        while index < range.upperBound {
            let digit = bytes[index] &- 0x30
            guard digit < 10 else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = shifted.addingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else { return nil }
            value = added
            index += 1
        }
        return negative ? -value : value
    }

    func byte(_ range: Range<Int>) -> UInt8? {
        range.count == 1 ? bytes[range.lowerBound] : nil
    }

    /// A float field (`numeric`, `double precision`), correctly rounded as `Double(String)` would.
    func double(_ range: Range<Int>) -> Double? {
        guard !range.isEmpty, range.count < 64 else { return range.isEmpty ? nil : Double(string(range)) }
        return bytes.withUnsafeBufferPointer { buffer in
            withUnsafeTemporaryAllocation(of: CChar.self, capacity: range.count + 1) { text in
                for (offset, index) in range.enumerated() { text[offset] = CChar(bitPattern: buffer[index]) }
                text[range.count] = 0
                var end: UnsafeMutablePointer<CChar>?
                let value = strtod(text.baseAddress!, &end)
                return end == text.baseAddress! + range.count ? value : nil
            }
        }
    }

    /// A `date` field, `YYYY-MM-DD`.
    func date(_ range: Range<Int>) -> OdooDate? {
        guard range.count == 10, bytes[range.lowerBound + 4] == 0x2D, bytes[range.lowerBound + 7] == 0x2D,
            let year = digits(range.lowerBound, 4), let month = digits(range.lowerBound + 5, 2),
            let day = digits(range.lowerBound + 8, 2), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        return OdooDate(year: year, month: month, day: day)
    }

    /// A `timestamp` field in ISO style, `YYYY-MM-DD HH:MM:SS[.ffffff]`, to the microsecond.
    func timestamp(_ range: Range<Int>) -> OdooDateTime? {
        let start = range.lowerBound
        guard range.count >= 19, let date = date(start..<start + 10), bytes[start + 10] == 0x20,
            bytes[start + 13] == 0x3A, bytes[start + 16] == 0x3A,
            let hour = digits(start + 11, 2), let minute = digits(start + 14, 2), let second = digits(start + 17, 2),
            hour < 24, minute < 60, second < 61
        else { return nil }
        var micros: Int64 = 0
        if range.count > 19 {
            let fraction = range.count - 20
            guard bytes[start + 19] == 0x2E, (1...6).contains(fraction), let value = digits(start + 20, fraction) else { return nil }
            micros = Int64(value)
            for _ in fraction..<6 { micros *= 10 }
        }
        let days = Int64(Self.daysFromCivil(year: date.year, month: date.month, day: date.day))
        return OdooDateTime(microseconds: (days * 86_400 + Int64(hour * 3600 + minute * 60 + second)) * 1_000_000 + micros)
    }

    private func digits(_ start: Int, _ count: Int) -> Int? {
        var value = 0
        for index in start..<start + count {
            let digit = bytes[index] &- 0x30
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm, as OdooDateTime uses).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
