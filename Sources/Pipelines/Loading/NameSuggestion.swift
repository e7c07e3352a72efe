/// "Did you mean" for misspelt keys and names.
enum NameSuggestion {
    /// The closest candidate within a small edit distance of `word`, or nil.
    static func closest(to word: String, in candidates: [String]) -> String? {
        let lowered = word.lowercased()
        if lowered.count >= 3, let contained = candidates.first(where: { lowered.contains($0.lowercased()) }) {
            return contained
        }
        let limit = max(2, word.count / 3)
        var best: (name: String, distance: Int)?
        // The distance is at least the difference in length; skipping those candidates keeps a
        // pasted 50 KB word from costing a second per candidate.
        for candidate in candidates where abs(word.count - candidate.count) <= limit {
            let distance = editDistance(Array(word.lowercased()), Array(candidate.lowercased()))
            if distance <= limit, distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        return best?.name
    }

    /// The fix text for an unknown name: a suggestion when one is close, else the valid choices.
    static func fix(for word: String, in candidates: [String], noun: String = "one of") -> String {
        if let match = closest(to: word, in: candidates) { return "did you mean '\(match)'?" }
        return "use \(noun) " + candidates.map { "'\($0)'" }.joined(separator: ", ")
    }

    /// Optimal string alignment distance: Levenshtein plus adjacent transpositions (`feilds`).
    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, table[i - 2][j - 2] + 1)
                }
                table[i][j] = value
            }
        }
        return table[a.count][b.count]
    }
}
