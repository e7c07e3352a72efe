import Foundation

/// Scrubs secrets out of text before it is printed or logged: every value wrapped in a `Secret`
/// during this process, passwords in URLs (`postgres://user:pw@host`) and `password=` pairs in
/// libpq connection strings.
public final class Redactor: @unchecked Sendable {
    public static let shared = Redactor()

    /// Values shorter than this are not registered: scrubbing every "ab" in every message would make
    /// output unreadable, and a secret that short protects nothing anyway.
    static let minimumRegisteredLength = 3

    private let lock = NSLock()
    private var values: [String] = []

    public init() {}

    public func register(_ value: String) {
        guard value.count >= Self.minimumRegisteredLength else { return }
        lock.lock()
        defer { lock.unlock() }
        guard !values.contains(value) else { return }
        values.append(value)
        // Longest first, so a secret that contains another is replaced whole.
        values.sort { $0.count > $1.count }
    }

    public func redact(_ text: String) -> String {
        lock.lock()
        let registered = values
        lock.unlock()
        var result = text
        for value in registered where result.contains(value) {
            result = result.replacingOccurrences(of: value, with: Secret.redactedText)
        }
        return Self.redactCredentialPatterns(in: result)
    }

    private static let urlPassword = try! NSRegularExpression(
        pattern: #"([A-Za-z][A-Za-z0-9+.\-]*://[^\s:/@]*:)[^\s@/]+(@)"#)
    private static let keywordPassword = try! NSRegularExpression(
        pattern: #"((?:password|passwd|pwd|api_key|apikey)\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]+)"#,
        options: [.caseInsensitive])

    static func redactCredentialPatterns(in text: String) -> String {
        var result = text
        for (pattern, template) in [
            (urlPassword, "$1\(Secret.redactedText)$2"),
            (keywordPassword, "$1\(Secret.redactedText)"),
        ] {
            let range = NSRange(result.startIndex..., in: result)
            result = pattern.stringByReplacingMatches(in: result, range: range, withTemplate: template)
        }
        return result
    }
}
