import Yams

/// Measures how large and how deep a YAML text becomes once its aliases (`*name`) are expanded,
/// before the real parse does the expanding.
///
/// Yams expands aliases while composing, and three things then go wrong on a short hostile file:
/// a chain of anchors that each repeat the previous one (the "billion laughs") makes a domain
/// value of billions of entries; the same chain used as a mapping key is hashed node by node
/// (hours); and a chain of deeply nested anchors builds a tree whose release overflows the stack
/// (SIGSEGV). None of this can be stopped once `Yams.compose` runs, so the text is composed first
/// with every `*` replaced by a private-use character: aliases become plain scalars, nothing is
/// expanded, anchors stay where they are, and lines and columns do not move. The expanded size and
/// depth follow from that tree in one pass.
enum YAMLAliasBudget {
    /// Fifty times a real pipeline file (a few hundred nodes); hashing that many takes a tenth of a second.
    static let nodeLimit = 20_000
    /// libyaml's own limit on nesting written out in the text.
    static let depthLimit = 1_000

    struct Excess {
        let line: Int?
        let problem: String
    }

    private static let placeholder: Unicode.Scalar = "\u{E000}"

    /// Throws the syntax error of the text (with aliases shown as written) when it is not valid
    /// YAML: the real parse must not run then, since it would expand what could not be measured.
    static func excess(in text: String) throws -> Excess? {
        guard text.contains("*") else { return nil }
        var masked = String.UnicodeScalarView()
        masked.append(contentsOf: text.unicodeScalars.lazy.map { $0 == "*" ? placeholder : $0 })
        // Yams holds anchors weakly in the nodes; the parser keeps them alive during the walk.
        let parser = try Parser(yaml: String(masked), resolver: .default.removing(.timestamp))
        let root: Node?
        do {
            root = try parser.singleRoot()
        } catch YamlError.duplicatedKeysInMapping(let duplicates, let context) {
            throw YamlError.duplicatedKeysInMapping(duplicates: duplicates.map(unmasked), context: context)
        }
        guard let root else { return nil }
        return withExtendedLifetime(parser) {
            var walk = Walk()
            let size = walk.measure(root)
            guard size.nodes > nodeLimit || size.depth > depthLimit else { return nil }
            let what = size.depth > depthLimit ? "more than \(depthLimit) levels of nesting" : "more than \(nodeLimit) values"
            return Excess(
                line: walk.firstLargeAliasLine,
                problem: "its anchors and aliases (*name) expand to \(what)")
        }
    }

    private static func unmasked(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.lazy.map { $0 == placeholder ? "*" : $0 }))
    }

    private struct Size {
        var nodes: Int
        var depth: Int

        static let one = Size(nodes: 1, depth: 1)
    }

    private struct Walk {
        /// Expanded sizes of the anchors defined so far; a later anchor of the same name replaces
        /// an earlier one, as in YAML.
        var anchored: [String: Size] = [:]
        var firstLargeAliasLine: Int?

        /// Children are measured in document order and an anchor is recorded when its node ends,
        /// which is when Yams registers it, so each alias sees the anchor the real parse would.
        mutating func measure(_ node: Node) -> Size {
            var size: Size
            switch node {
            case .scalar(let scalar):
                size = .one
                if scalar.style == .plain, scalar.string.unicodeScalars.first == placeholder {
                    size = anchored[String(scalar.string.unicodeScalars.dropFirst())] ?? .one
                    if firstLargeAliasLine == nil, size.nodes > nodeLimit || size.depth > depthLimit {
                        firstLargeAliasLine = node.mark?.line
                    }
                }
            case .sequence(let sequence):
                size = combined(sequence.map { measure($0) })
            case .mapping(let mapping):
                var children: [Size] = []
                for (key, value) in mapping {
                    children.append(measure(key))
                    children.append(measure(value))
                }
                size = combined(children)
            case .alias:
                size = .one
            }
            if let anchor = node.anchor {
                anchored[anchor.rawValue] = size
            }
            return size
        }

        /// Saturates just above the limits, so that a chain of any length cannot overflow.
        private func combined(_ children: [Size]) -> Size {
            var size = Size.one
            for child in children {
                size.nodes = min(size.nodes + child.nodes, nodeLimit + 1)
                size.depth = max(size.depth, min(child.depth + 1, depthLimit + 1))
            }
            return size
        }
    }
}
