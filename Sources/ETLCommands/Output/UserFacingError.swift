/// An error that knows how to explain itself to the person at the terminal (or reading the journal):
/// what happened, what to do about it, and which exit status it means.
public protocol UserFacingError: Error {
    /// One line: what happened.
    var summary: String { get }
    /// Further lines shown under the summary, one problem or fact each; empty by default.
    var details: [String] { get }
    /// What to do next.
    var hint: String { get }
    var exitStatus: ExitStatus { get }
}

extension UserFacingError {
    public var details: [String] { [] }
}
