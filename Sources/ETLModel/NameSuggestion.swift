/// "Did you mean …?" for misspelt keys, names, environments and commands: one edit distance and one
/// closeness rule for every message of the product, with the shortcut each kind of input calls for.
public enum NameSuggestion {
    /// When a word too far from every candidate by edits is still plainly meant as one of them.
    public enum Shortcut: Sendable {
        /// Operators abbreviate (`prod` for `production`): tried only when no candidate is close by
        /// edits, and a suggestion must keep at least one character of the word.
        case abbreviation
        /// Pipeline authors decorate a known name (`fields_list` for `fields`): a word of three or
        /// more characters that contains a candidate suggests it before any edit distance is taken.
        case containedName
    }

    /// The candidate closest to `word`, if it is close enough to be a plausible slip, or nil.
    public static func closest(to word: String, among candidates: [String], shortcut: Shortcut) -> String? {
        let lowered = word.lowercased()
        switch shortcut {
        case .abbreviation:
            guard !lowered.isEmpty else { return nil }
            let limit = min(max(2, lowered.count / 3), lowered.count - 1)
            if let match = closestByEdits(lowered, among: candidates, limit: limit) { return match }
            guard lowered.count >= 3 else { return nil }
            return candidates.filter { $0.lowercased().hasPrefix(lowered) }.min { $0.count < $1.count }
        case .containedName:
            if lowered.count >= 3, let contained = candidates.first(where: { lowered.contains($0.lowercased()) }) {
                return contained
            }
            return closestByEdits(lowered, among: candidates, limit: max(2, word.count / 3))
        }
    }

    /// "; did you mean 'x'?" (the abbreviation shortcut, as the command line and the instance matrix
    /// word it) or nothing.
    public static func didYouMean(_ word: String, among candidates: [String]) -> String {
        closest(to: word, among: candidates, shortcut: .abbreviation).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// The first candidate at the smallest distance from `lowered`, if that distance is within `limit`.
    private static func closestByEdits(_ lowered: String, among candidates: [String], limit: Int) -> String? {
        let word = Array(lowered)
        var best: (name: String, distance: Int)?
        // The distance is at least the difference in length; skipping those candidates keeps a
        // pasted 50 KB word from costing a second per candidate.
        for candidate in candidates {
            let other = Array(candidate.lowercased())
            guard abs(word.count - other.count) <= limit else { continue }
            let distance = editDistance(word, other)
            if distance <= limit, distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        return best?.name
    }

    /// Optimal string alignment distance: Levenshtein plus adjacent transpositions (`feilds`).
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previousPrevious[j - 2] + 1)
                }
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}
