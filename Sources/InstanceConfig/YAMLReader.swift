import ETLModel
import Foundation
import Yams

/// A dotted YAML key path for messages: `environments.staging.odoo.url`, `etl.pipelines.enabled[2]`.
struct YAMLKeyPath: CustomStringConvertible {
    private(set) var components: [String] = []

    func appending(_ key: String) -> YAMLKeyPath {
        var copy = self
        copy.components.append(key)
        return copy
    }

    func index(_ position: Int) -> YAMLKeyPath {
        var copy = self
        if let last = copy.components.popLast() {
            copy.components.append("\(last)[\(position)]")
        }
        return copy
    }

    var description: String { components.joined(separator: ".") }
}

/// Walks a composed YAML document and turns each mistake into a `ConfigurationProblem` instead of
/// stopping at the first, so the caller can report them all at once.
final class YAMLReader {
    let file: String
    private(set) var problems: [ConfigurationProblem] = []

    init(file: String) {
        self.file = file
    }

    /// The problems sorted by line and column, so the list reads top to bottom like the file.
    var problemsInFileOrder: [ConfigurationProblem] {
        zip(problems, marks).sorted { lhs, rhs in
            switch (lhs.1, rhs.1) {
            case (let left?, let right?): return (left.line, left.column) < (right.line, right.column)
            case (.some, .none): return true
            default: return false
            }
        }.map(\.0)
    }

    private var marks: [Mark?] = []

    func report(_ node: Node?, _ path: YAMLKeyPath, _ message: String) {
        let location = node?.mark.map { "\(file):\($0.line):\($0.column)" } ?? file
        marks.append(node?.mark)
        problems.append(
            ConfigurationProblem(
                kind: .file, location: location,
                keyPath: path.description.isEmpty ? nil : path.description,
                message: message))
    }

    /// The entries of a mapping whose keys the caller chooses (environment names).
    func entries(_ node: Node, at path: YAMLKeyPath) -> [(key: String, keyNode: Node, value: Node)]? {
        guard case .mapping(let mapping) = node else {
            report(node, path, "expected a mapping, found \(Self.kind(of: node))")
            return nil
        }
        var result: [(key: String, keyNode: Node, value: Node)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode, !scalar.string.isEmpty else {
                report(keyNode, path, "keys must be plain names, found \(Self.kind(of: keyNode))")
                continue
            }
            result.append((scalar.string, keyNode, value))
        }
        return result
    }

    /// A mapping with a fixed set of keys. Unknown keys are reported with a suggestion, missing
    /// required keys with what they are for.
    func mapping(_ node: Node, at path: YAMLKeyPath, keys: [String], required: [String: String] = [:])
        -> [String: Node]?
    {
        guard let entries = entries(node, at: path) else { return nil }
        var result: [String: Node] = [:]
        var unknown: [(key: String, node: Node, suggestion: String?)] = []
        for entry in entries {
            if keys.contains(entry.key) {
                result[entry.key] = entry.value
            } else {
                unknown.append((entry.key, entry.keyNode, NameSuggestion.closest(to: entry.key, among: keys, shortcut: .abbreviation)))
            }
        }
        let missing = keys.filter { required[$0] != nil && result[$0] == nil }
        for entry in unknown {
            let advice: String
            if let suggestion = entry.suggestion {
                // A misspelt required key is one problem, not an unknown key plus a missing one.
                let required = missing.contains(suggestion) ? " (it is required)" : ""
                advice = "; did you mean '\(suggestion)'?\(required)"
            } else {
                advice = " (allowed here: \(keys.joined(separator: ", ")))"
            }
            report(entry.node, path.appending(entry.key), "unknown key\(advice)\(Self.secretAdvice(entry.key))")
        }
        let suggested = Set(unknown.compactMap(\.suggestion))
        for key in missing where !suggested.contains(key) {
            report(node, path.appending(key), "required key is missing: \(required[key]!)")
        }
        return result
    }

    func string(_ node: Node?, at path: YAMLKeyPath) -> String? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node else {
            report(node, path, "expected a text value, found \(Self.kind(of: node))")
            return nil
        }
        guard !Self.isNull(scalar) else {
            report(node, path, "has no value; give one or remove the key")
            return nil
        }
        return scalar.string
    }

    func integer(_ node: Node?, at path: YAMLKeyPath, in range: ClosedRange<Int>) -> Int? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node, let value = Int(scalar.string) else {
            report(
                node, path,
                "expected a whole number from \(range.lowerBound) to \(range.upperBound), "
                    + "found \(Self.shown(node))")
            return nil
        }
        guard range.contains(value) else {
            report(node, path, "\(value) is out of range; use \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    func seconds(_ node: Node?, at path: YAMLKeyPath, in range: ClosedRange<Double>) -> Double? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node, let value = Double(scalar.string), value.isFinite else {
            report(
                node, path,
                "expected a number of seconds from \(PlainNumber.text(range.lowerBound)) "
                    + "to \(PlainNumber.text(range.upperBound)), found \(Self.shown(node))")
            return nil
        }
        guard range.contains(value) else {
            report(
                node, path,
                "\(scalar.string) is out of range; use \(PlainNumber.text(range.lowerBound)) "
                    + "to \(PlainNumber.text(range.upperBound)) seconds")
            return nil
        }
        return value
    }

    /// An `http(s)://host…` URL without credentials in it.
    func url(_ node: Node?, at path: YAMLKeyPath) -> URL? {
        guard let text = string(node, at: path) else { return nil }
        guard let components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty, let url = components.url
        else {
            report(node, path, "expected an http:// or https:// URL, found '\(Redactor.redactCredentialPatterns(in: text))'")
            return nil
        }
        guard components.user == nil, components.password == nil else {
            report(
                node, path,
                "the URL must not carry credentials; name the variables that hold them "
                    + "in login_env / password_env instead")
            return nil
        }
        return url
    }

    /// The name of an environment variable. The value is never echoed: a key meant to name a
    /// variable sometimes receives the secret itself.
    func variableName(_ node: Node?, at path: YAMLKeyPath) -> String? {
        guard let text = string(node, at: path) else { return nil }
        guard Self.isVariableName(text) else {
            report(
                node, path,
                "must name an environment variable (letters, digits and _, such as "
                    + "ODOO_STAGING_PASSWORD), not hold a value; the value is not shown in case it is a secret")
            return nil
        }
        return text
    }

    func stringList(_ node: Node?, at path: YAMLKeyPath) -> [String]? {
        guard let node else { return nil }
        guard case .sequence(let sequence) = node else {
            report(node, path, "expected a list such as [companies, partners], found \(Self.kind(of: node))")
            return nil
        }
        var result: [String] = []
        for (position, item) in sequence.enumerated() {
            if let value = string(item, at: path.index(position)) {
                if result.contains(value) {
                    report(item, path.index(position), "'\(value)' is listed twice")
                } else {
                    result.append(value)
                }
            }
        }
        return result
    }

    static func isVariableName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else { return false }
        return text.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    private static func isNull(_ scalar: Node.Scalar) -> Bool {
        scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    static func kind(of node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let scalar): return isNull(scalar) ? "no value" : "'\(scalar.string)'"
        case .alias: return "an alias"
        }
    }

    private static func shown(_ node: Node) -> String { kind(of: node) }

    /// Extra advice when someone tries to put a credential straight into the file.
    private static func secretAdvice(_ key: String) -> String {
        let lowered = key.lowercased()
        let looksSecret =
            ["password", "passwd", "secret", "token", "api_key", "apikey", "login", "user", "db_url", "dsn"]
            .contains { lowered.contains($0) } && !lowered.hasSuffix("_env")
        return looksSecret ? " Secrets never go in this file: name an environment variable with a *_env key." : ""
    }
}
