import Foundation

/// The passwords inside a libpq connection string, so that nothing derived from the string can
/// print them. libpq's own parse errors quote the part they choke on: a stray `%` in a URL
/// password gives `invalid percent-encoded token: "<the password>"`, and a malformed URL is
/// quoted whole.
public enum ConnectionStringSecrets {
    public static let mask = "•••"

    /// Every spelling of a password the string carries: the URL's userinfo password and any
    /// `password=` value (URL query or keyword form), raw and percent-decoded.
    public static func passwords(in connectionString: String) -> [String] {
        var found: [String] = []
        if let userinfoPassword = urlUserinfoPassword(connectionString) {
            found.append(userinfoPassword)
            // libpq ends the userinfo at the first `@`, so an unencoded `@` in a password turns its
            // tail into the host name, which connection errors quote: mask each piece too.
            found += userinfoPassword.split(separator: "@").map(String.init).filter { $0.count >= 3 }
        }
        found += keywordPasswords(connectionString)
        let decoded = found.compactMap { $0.removingPercentEncoding }
        return Array(Set((found + decoded).filter { !$0.isEmpty })).sorted { $0.count > $1.count }
    }

    /// `message` (a libpq connection error) with the connection string and its passwords masked.
    /// A parse error's quoted fragment may be any part of the string, password included, so it is
    /// masked whole; the server's own messages (`password authentication failed for user "x"`)
    /// keep their quotes.
    public static func scrub(_ message: String, connectionString: String) -> String {
        var result = message
        for secret in [connectionString] + passwords(in: connectionString) where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: mask)
        }
        if parseErrorMarkers.contains(where: result.contains) { result = maskingQuotedInput(result) }
        if result.contains("percent-encoded") {
            result += " (a literal % in a connection URL must be written %25)"
        }
        return result
    }

    /// Phrases of libpq's connection-string parser (fe-connect.c) whose quoted part is user input.
    private static let parseErrorMarkers = [
        "percent-encoded", "in URI", "connection info string", "URI query parameter", "invalid integer value",
    ]

    /// Quotes pair up left to right; a pair holding one character is the parser's own literal
    /// (`"="`, `"]"`), anything longer is input and becomes the mask.
    private static func maskingQuotedInput(_ message: String) -> String {
        var pieces = message.split(separator: "\"", omittingEmptySubsequences: false).map(String.init)
        for index in stride(from: 1, to: pieces.count - 1, by: 2) where pieces[index].count != 1 {
            pieces[index] = mask
        }
        return pieces.joined(separator: "\"")
    }

    /// `scheme://user:password@host…` → `password` as written (still percent-encoded), as the user
    /// meant it: up to the last `@` before the path, since an unencoded `@` may sit in a password.
    private static func urlUserinfoPassword(_ text: String) -> String? {
        guard let scheme = text.range(of: "://") else { return nil }
        let afterScheme = text[scheme.upperBound...]
        let authority = afterScheme.prefix { $0 != "/" && $0 != "?" }
        guard let at = authority.lastIndex(of: "@") else { return nil }
        let userinfo = authority[..<at]
        guard let colon = userinfo.firstIndex(of: ":") else { return nil }
        return String(userinfo[userinfo.index(after: colon)...])
    }

    private static let keywordPassword = try! NSRegularExpression(
        pattern: #"(?:^|[\s?&])password\s*=\s*('(?:[^'\\]|\\.)*'|[^\s&]+)"#, options: [.caseInsensitive])

    private static func keywordPasswords(_ text: String) -> [String] {
        keywordPassword.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            guard let range = Range(match.range(at: 1), in: text) else { return nil }
            var value = String(text[range])
            if value.hasPrefix("'"), value.hasSuffix("'"), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            return value
        }
    }
}
