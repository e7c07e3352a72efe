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
                case 0x6E: output.append(0x0A) // \n
                case 0x72: output.append(0x0D) // \r
                case 0x74: output.append(0x09) // \t
                case 0x62: output.append(0x08) // \b
                case 0x66: output.append(0x0C) // \f
                case 0x76: output.append(0x0B) // \v
                default: output.append(escaped) // \\ and any other escaped byte stand for themselves
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
}
