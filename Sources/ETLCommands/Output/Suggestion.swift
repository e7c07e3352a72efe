/// "Did you mean …?" for mistyped keys, environments, pipelines and commands.
enum Suggestion {
    /// The candidate closest to `input`, if it is close enough to be a plausible typo or abbreviation.
    static func closest(to input: String, among candidates: [String]) -> String? {
        let needle = input.lowercased()
        guard !needle.isEmpty else { return nil }
        let scored = candidates.map { ($0, editDistance(needle, $0.lowercased())) }
        let tolerance = max(2, needle.count / 3)
        if let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= tolerance, best.1 < needle.count {
            return best.0
        }
        // An abbreviation ("prod" for "production") is too far by edits but plainly meant.
        guard needle.count >= 3 else { return nil }
        return candidates.filter { $0.lowercased().hasPrefix(needle) }.min { $0.count < $1.count }
    }

    /// "; did you mean 'x'?" or nothing.
    static func didYouMean(_ input: String, among candidates: [String]) -> String {
        closest(to: input, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// Levenshtein distance with adjacent transpositions counted as one edit.
    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs), b = Array(rhs)
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

extension Array where Element == String {
    /// `a, b and c` for messages.
    var joinedForProse: String {
        switch count {
        case 0: return ""
        case 1: return self[0]
        default: return dropLast().joined(separator: ", ") + " and " + last!
        }
    }
}
