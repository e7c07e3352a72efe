import ETLModel

/// How pipeline-file messages offer a name: a file's author decorates known names, so the shortcut
/// is a word that contains one.
extension NameSuggestion {
    /// The closest candidate to `word`, or nil.
    static func closest(to word: String, in candidates: [String]) -> String? {
        closest(to: word, among: candidates, shortcut: .containedName)
    }

    /// The fix text for an unknown name: a suggestion when one is close, else the valid choices.
    static func fix(for word: String, in candidates: [String], noun: String = "one of") -> String {
        if let match = closest(to: word, in: candidates) { return "did you mean '\(match)'?" }
        return "use \(noun) " + candidates.map { "'\($0)'" }.joined(separator: ", ")
    }
}
