import Foundation

/// A Swift value that can travel as a text-format bind parameter. Values never become SQL text.
public protocol PostgresBindable {
    var postgresText: String { get }
}

extension String: PostgresBindable { public var postgresText: String { self } }
extension Substring: PostgresBindable { public var postgresText: String { String(self) } }
extension Int: PostgresBindable { public var postgresText: String { String(self) } }
extension Int32: PostgresBindable { public var postgresText: String { String(self) } }
extension Int64: PostgresBindable { public var postgresText: String { String(self) } }
extension Bool: PostgresBindable { public var postgresText: String { self ? "t" : "f" } }
extension Double: PostgresBindable { public var postgresText: String { "\(self)" } }
extension Decimal: PostgresBindable {
    public var postgresText: String { NSDecimalNumber(decimal: self).description(withLocale: Locale(identifier: "en_US_POSIX")) }
}
extension Date: PostgresBindable {
    /// ISO 8601 in UTC with microseconds, accepted by `timestamptz` and `timestamp`.
    public var postgresText: String {
        let micros = (timeIntervalSince1970 * 1_000_000).rounded()
        let seconds = floor(micros / 1_000_000)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        let fraction = Int(micros - seconds * 1_000_000)
        return formatter.string(from: Date(timeIntervalSince1970: seconds)) + String(format: ".%06d+00", fraction)
    }
}
/// `[Int64]` travels as a PostgreSQL array literal, e.g. for `= ANY($1::bigint[])`.
extension Array: PostgresBindable where Element == Int64 {
    public var postgresText: String { "{" + map(String.init).joined(separator: ",") + "}" }
}
