/// A value read from an environment variable that must never be printed: its description, debug
/// description and mirror are all "•••". Creating one registers the value with `Redactor.shared`, so
/// log lines and error messages that happen to contain it (a driver error echoing a DSN, say) are
/// scrubbed too.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The one mask of every secret. The Postgres module masks connection errors with the same
    /// text (`ConnectionStringSecrets.mask`); neither layer may import the other, so InstanceConfigTests
    /// pins the two equal.
    public static let redactedText = "•••"

    private let value: String

    public init(_ value: String) {
        self.value = value
        Redactor.shared.register(value)
    }

    /// A database URL or libpq keyword string: its passwords (found by `passwords`, which knows the
    /// connection-string syntax) are registered on their own too, since a parse error or a driver
    /// may quote the password without the rest of the URL.
    public static func connectionString(_ value: String, passwords: (String) -> [String]) -> Secret {
        passwords(value).forEach(Redactor.shared.register)
        return Secret(value)
    }

    /// The value itself, for handing to a connection or an authentication call and nowhere else.
    public func reveal() -> String { value }

    public var description: String { Self.redactedText }
    public var debugDescription: String { Self.redactedText }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
