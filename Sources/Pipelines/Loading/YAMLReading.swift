import ETLModel
import Yams

/// One `key: value` entry of a YAML mapping, with the key's line for messages.
struct YAMLEntry {
    let key: String
    let line: Int?
    let value: Node
}

/// Node accessors that report what they expected instead of failing silently.
extension PipelineFileParser {
    mutating func entries(_ node: Node, path: String, expected: String) -> [YAMLEntry]? {
        guard let mapping = node.mapping else {
            report(
                node, path, "expected \(expected) (a mapping of `key: value` lines), found \(describe(node))",
                "write it as indented `key: value` lines")
            return nil
        }
        var result: [YAMLEntry] = []
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                report(key, path, "a key must be plain text, found \(describe(key))", "use a plain name as the key")
                continue
            }
            result.append(YAMLEntry(key: name, line: key.mark?.line, value: value))
        }
        return result
    }

    /// Reports unknown keys (with the closest known one) and missing required keys.
    mutating func checkKeys(_ entries: [YAMLEntry], allowed: [String], required: [String], path: String, line: Int?) {
        for entry in entries where !allowed.contains(entry.key) {
            report(
                line: entry.line, join(path, entry.key), "unknown key '\(entry.key)'",
                NameSuggestion.fix(for: entry.key, in: allowed, noun: "only"))
        }
        let present = Set(entries.map(\.key))
        for key in required where !present.contains(key) {
            report(line: line, path, "missing required key '\(key)'", "add `\(key):` here")
        }
    }

    mutating func string(_ node: Node, path: String, what: String) -> String? {
        guard let scalar = node.scalar, node.tagName != .null, !scalar.string.isEmpty else {
            report(node, path, "expected \(what), found \(describe(node))", "write \(what) as plain text")
            return nil
        }
        return scalar.string
    }

    mutating func stringList(_ node: Node, path: String, what: String) -> [String]? {
        if let single = node.scalar, node.tagName != .null {
            report(
                node, path, "expected a list of \(what), found the single value '\(single.string)'",
                "write it as a list: [\(single.string)]")
            return nil
        }
        guard let sequence = node.sequence else {
            report(node, path, "expected a list of \(what), found \(describe(node))", "write it as [a, b]")
            return nil
        }
        var values: [String] = []
        for (index, item) in sequence.enumerated() {
            if let value = string(item, path: "\(path)[\(index)]", what: what) { values.append(value) }
        }
        return values.count == sequence.count ? values : nil
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            if node.tagName == .null { return "nothing" }
            return "'\(scalar.string)'"
        }
    }

    func join(_ path: String, _ key: String) -> String {
        let needsQuotes = key.contains(".") || key.contains(" ")
        if needsQuotes { return "\(path)[\"\(key)\"]" }
        return path.isEmpty ? key : "\(path).\(key)"
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || ("a"..."z").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }
}

extension Node {
    /// The resolved tag (`bool`, `int`, `null`, `str`, ...): how YAML typed a plain scalar.
    var tagName: Tag.Name { Tag.Name(rawValue: tag.description) }
}
