/// Writes rows in COPY text format into an open `COPY … FROM STDIN`, buffering bytes and sending
/// them in large chunks. Only usable inside `PostgresConnection.copyIn`'s closure.
///
/// Text-format escaping: backslash, tab, newline and carriage return are escaped; NULL is `\N`.
/// A NUL byte cannot be stored by PostgreSQL, so it is an error naming the column.
public struct PostgresCopyWriter {
    private let handle: LibpqConnection
    private let statement: String
    private let columns: [String]
    private var buffer: [UInt8] = []
    private var column = 0
    public private(set) var rowCount = 0
    private static let flushThreshold = 1 << 18

    init(handle: LibpqConnection, statement: String, columns: [String]) {
        self.handle = handle
        self.statement = statement
        self.columns = columns
        buffer.reserveCapacity(PostgresCopyWriter.flushThreshold + 4096)
    }

    public mutating func writeNull() {
        separate()
        buffer.append(0x5C)
        buffer.append(0x4E)  // \N
    }

    /// A text value, escaped.
    public mutating func writeField(_ value: String) throws {
        separate()
        var text = value
        try text.withUTF8 { bytes in try appendEscaped(bytes) }
    }

    /// A value known to need no escaping (digits, signs, dots, dashes, colons, spaces): numbers,
    /// dates and timestamps formatted by us.
    public mutating func writePlainField(_ value: String) {
        separate()
        buffer.append(contentsOf: value.utf8)
    }

    public mutating func writeField(_ value: Int64) {
        separate()
        if value < 0 { buffer.append(0x2D) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64) = (0, 0)
        var count = 0
        // Up to 20 digits, collected least significant first into two words, then emitted in order.
        withUnsafeMutableBytes(of: &digits) { scratch in
            repeat {
                scratch[count] = UInt8(0x30 + magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for i in stride(from: count - 1, through: 0, by: -1) { buffer.append(scratch[i]) }
        }
    }

    public mutating func endRow() throws {
        guard column == columns.count || columns.isEmpty else {
            throw PostgresError(
                kind: .invalidValue, message: "COPY row \(rowCount + 1) has \(column) values for \(columns.count) columns",
                statement: statement)
        }
        buffer.append(0x0A)
        column = 0
        rowCount += 1
        if buffer.count >= PostgresCopyWriter.flushThreshold { try flush() }
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try handle.putCopyData($0, statement: statement) }
        buffer.removeAll(keepingCapacity: true)
    }

    private mutating func separate() {
        if column > 0 { buffer.append(0x09) }
        column += 1
    }

    private mutating func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        var start = 0
        for i in 0..<bytes.count {
            let b = bytes[i]
            guard b <= 0x5C else { continue }
            let escape: UInt8
            switch b {
            case 0x5C: escape = 0x5C  // backslash
            case 0x09: escape = 0x74  // t
            case 0x0A: escape = 0x6E  // n
            case 0x0D: escape = 0x72  // r
            case 0x00:
                let name = column - 1 < columns.count ? columns[column - 1] : "#\(column)"
                throw PostgresError(
                    kind: .invalidValue,
                    message: "column \(name) of COPY row \(rowCount + 1) contains a NUL byte, which PostgreSQL text cannot store",
                    hint: "clean the value at the source; nothing of this COPY was committed",
                    statement: statement)
            default: continue
            }
            if i > start { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i])) }
            buffer.append(0x5C)
            buffer.append(escape)
            start = i + 1
        }
        if start < bytes.count { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count])) }
    }
}
