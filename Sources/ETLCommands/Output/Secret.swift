/// A value read from an environment variable that must never be printed: its description, debug
/// description and mirror are all "•••". Creating one registers the value with `Redactor.shared`, so
/// log lines and error messages that happen to contain it (a driver error echoing a DSN, say) are
/// scrubbed too.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public static let redactedText = "•••"

    private let value: String

    public init(_ value: String) {
        self.value = value
        Redactor.shared.register(value)
    }

    /// The value itself, for handing to a connection or an authentication call and nowhere else.
    public func reveal() -> String { value }

    public var description: String { Self.redactedText }
    public var debugDescription: String { Self.redactedText }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
