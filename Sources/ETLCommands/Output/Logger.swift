import Foundation
import InstanceConfig

/// Structured logging to stderr: `text` lines (`2025-01-31T02:15:00.123Z info  msg key=value`) or
/// JSON lines (`{"ts":…,"level":…,"msg":…,"fields":{…}}`). Every message and string field passes
/// through `Redactor.shared`, and `LogValue.secret` prints as "•••", so a password never reaches a log.
public struct Logger: Sendable {
    public let format: LogFormat
    public let minimumLevel: LogLevel
    private let write: @Sendable (String) -> Void
    private let now: @Sendable () -> Date

    /// - Parameters:
    ///   - write: receives each complete line, newline included; defaults to stderr.
    ///   - now: the clock, injectable so tests get stable timestamps.
    public init(
        format: LogFormat, minimumLevel: LogLevel = .info,
        write: @escaping @Sendable (String) -> Void = { StandardError.write($0) },
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.format = format
        self.minimumLevel = minimumLevel
        self.write = write
        self.now = now
    }

    public func log(_ level: LogLevel, _ message: String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        guard level >= minimumLevel else { return }
        write(line(level, message, Array(fields)) + "\n")
    }

    public func debug(_ message: String, _ fields: KeyValuePairs<String, LogValue> = [:]) { log(.debug, message, fields) }
    public func info(_ message: String, _ fields: KeyValuePairs<String, LogValue> = [:]) { log(.info, message, fields) }
    public func notice(_ message: String, _ fields: KeyValuePairs<String, LogValue> = [:]) { log(.notice, message, fields) }
    public func warning(_ message: String, _ fields: KeyValuePairs<String, LogValue> = [:]) { log(.warning, message, fields) }
    public func error(_ message: String, _ fields: KeyValuePairs<String, LogValue> = [:]) { log(.error, message, fields) }

    /// The line for one event, without its newline.
    func line(_ level: LogLevel, _ message: String, _ fields: [(key: String, value: LogValue)]) -> String {
        let timestamp = Timestamp.iso8601(now())
        let redactor = Redactor.shared
        switch format {
        case .json:
            let members = fields.map { ($0.key, jsonValue($0.value, redactor)) }
            return JSONText.object([
                ("ts", JSONText.string(timestamp)),
                ("level", JSONText.string(level.rawValue)),
                ("msg", JSONText.string(redactor.redact(message))),
                ("fields", JSONText.object(members)),
            ])
        case .text:
            let pairs = fields.map { "\($0.key)=\(textValue($0.value, redactor))" }
            let levelColumn = level.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
            return ([timestamp, levelColumn, Self.singleLine(redactor.redact(message))] + pairs).joined(separator: " ")
        }
    }

    private func jsonValue(_ value: LogValue, _ redactor: Redactor) -> String {
        switch value {
        case .string(let text): return JSONText.string(redactor.redact(text))
        case .int(let number): return String(number)
        case .double(let number): return JSONText.number(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .list(let items): return JSONText.array(items.map(redactor.redact))
        case .secret: return JSONText.string(Secret.redactedText)
        }
    }

    private func textValue(_ value: LogValue, _ redactor: Redactor) -> String {
        switch value {
        case .string(let text): return Self.quotedIfNeeded(redactor.redact(text))
        case .int(let number): return String(number)
        case .double(let number): return JSONText.number(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .list(let items): return Self.quotedIfNeeded(items.map(redactor.redact).joined(separator: ","))
        case .secret: return Secret.redactedText
        }
    }

    /// One event, one line, even for a message that carries a traceback.
    private static func singleLine(_ text: String) -> String {
        guard text.contains(where: { $0.isNewline }) else { return text }
        return text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).joined(separator: "\\n")
    }

    private static func quotedIfNeeded(_ text: String) -> String {
        let needsQuotes = text.isEmpty || text.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }
        return needsQuotes ? JSONText.string(text) : text
    }
}

/// Whole-line writes to stderr, serialized so concurrent units never interleave half lines.
public enum StandardError {
    private static let lock = NSLock()

    public static func write(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        FileHandle.standardError.write(Data(text.utf8))
    }

    public static var isTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}

enum Timestamp {
    /// UTC, millisecond precision: `2025-01-31T02:15:00.123Z`. Built by hand because the Foundation
    /// formatters are neither cheap per line nor Sendable.
    static func iso8601(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let millis = Int(milliseconds % 1000)
        let millisText = String(repeating: "0", count: 3 - String(millis).count) + String(millis)
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(millisText)Z"
    }
}
