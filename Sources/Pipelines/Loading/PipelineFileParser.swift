import ETLModel
import Yams

/// Reads one pipeline file into a `PipelineDefinition`, collecting every problem it can find in one
/// pass rather than stopping at the first.
struct PipelineFileParser {
    let path: String
    let name: String
    private(set) var diagnostics: [PipelineDiagnostic] = []
    /// Lines of the keys parsed so far, by key path, for the cross-reference checks.
    var lineOfPath: [String: Int] = [:]

    static let topLevelKeys = [
        "description", "model", "scope", "batch_size", "depends_on", "domain", "fields",
        "lookups", "targets",
    ]
    static let lookupKeys = ["model", "via", "fields"]
    static let batchSizes = 1...50_000

    init(path: String, name: String) {
        self.path = path
        self.name = name
    }

    mutating func parse(_ text: String) -> PipelineDefinition? {
        if !Self.isIdentifier(name) {
            report(
                line: nil, "", "the file name '\(name)' is not a valid pipeline name",
                "rename the file to lowercase letters, digits and underscores, e.g. journal_items.yaml")
        }
        let root: Node
        do {
            if let excess = try YAMLAliasBudget.excess(in: text) {
                report(
                    line: excess.line, "", "the file is too large once expanded: \(excess.problem)",
                    "write the values out, or use fewer aliases that do not repeat one another")
                return nil
            }
            guard let document = try Yams.compose(yaml: text, Resolver.default.removing(.timestamp)) else {
                report(line: nil, "", "the file is empty", "describe the pipeline with model, fields and targets")
                return nil
            }
            root = document
        } catch {
            let (line, problem) = Self.yamlProblem(error)
            report(line: line, "", "the file is not valid YAML: \(problem)", "fix the YAML syntax at that line")
            return nil
        }
        guard let top = entries(root, path: "", expected: "a pipeline description") else { return nil }
        checkKeys(
            top, allowed: Self.topLevelKeys, required: ["model", "fields", "targets"], path: "",
            line: root.mark?.line)
        let section = Dictionary(top.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        for entry in top { lineOfPath[entry.key] = entry.line }

        let model = section["model"].flatMap { modelName($0, path: "model") }
        // A bad scope or batch size is reported here; the placeholder lets the later checks run too.
        let scope = section["scope"].map { parseScope($0) ?? .company } ?? .company
        let batchSize = section["batch_size"].map { parseBatchSize($0) ?? 1 } ?? 1000
        let dependsOn = section["depends_on"].map { parseDependencies($0) } ?? []
        let domain = section["domain"].map { parseDomain($0) } ?? .all
        let fields = section["fields"].map { parseFields($0, path: "fields") } ?? []
        let lookups = section["lookups"].map { parseLookups($0) } ?? []
        let targets = section["targets"].map { parseTargets($0, lookupNames: Set(lookups.map(\.name))) } ?? []

        guard let model else { return nil }
        let definition = PipelineDefinition(
            name: name, sourcePath: path, model: model, scope: scope, batchSize: batchSize, dependsOn: dependsOn,
            domain: domain, fields: fields, lookups: lookups, targets: targets,
            declaresBatchSize: section["batch_size"] != nil)
        checkReferences(definition)
        return diagnostics.isEmpty ? definition : nil
    }

    mutating func report(_ node: Node?, _ keyPath: String, _ problem: String, _ fix: String) {
        report(line: node?.mark?.line, keyPath, problem, fix)
    }

    mutating func report(line: Int?, _ keyPath: String, _ problem: String, _ fix: String) {
        diagnostics.append(PipelineDiagnostic(file: path, line: line, keyPath: keyPath, problem: problem, fix: fix))
    }

    // MARK: - Top-level values

    private mutating func modelName(_ node: Node, path: String) -> String? {
        guard let text = string(node, path: path, what: "an Odoo model name") else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts.allSatisfy({ Self.isIdentifier(String($0)) }) else {
            report(node, path, "'\(text)' is not an Odoo model name", "write the technical name, e.g. hr.expense")
            return nil
        }
        return text
    }

    private mutating func parseScope(_ node: Node) -> PipelineScope? {
        guard let text = string(node, path: "scope", what: "a scope") else { return nil }
        guard let scope = PipelineScope(rawValue: text) else {
            report(
                node, "scope", "unknown scope '\(text)'",
                NameSuggestion.fix(for: text, in: PipelineScope.allCases.map(\.rawValue)))
            return nil
        }
        return scope
    }

    private mutating func parseBatchSize(_ node: Node) -> Int? {
        guard node.tagName == .int, let value = node.int, Self.batchSizes.contains(value) else {
            report(
                node, "batch_size",
                "batch_size must be a whole number from \(Self.batchSizes.lowerBound) to "
                    + "\(Self.batchSizes.upperBound), found \(describe(node))",
                "use a page size such as 2000")
            return nil
        }
        return value
    }

    private mutating func parseDependencies(_ node: Node) -> [String] {
        guard let names = stringList(node, path: "depends_on", what: "pipeline names") else { return [] }
        for name in names where name == self.name {
            report(node, "depends_on", "the pipeline depends on itself", "remove '\(name)' from depends_on")
        }
        return names
    }

    // MARK: - Fields

    mutating func parseFields(_ node: Node, path: String) -> [FieldRequirement] {
        guard let list = entries(node, path: path, expected: "fields with `required` or `optional`") else { return [] }
        if list.isEmpty {
            report(node, path, "no fields are listed", "list each field as `name: required` or `name: optional`")
        }
        var fields: [FieldRequirement] = []
        for entry in list {
            let keyPath = join(path, entry.key)
            lineOfPath[keyPath] = entry.line
            if entry.key == "id" {
                report(line: entry.line, keyPath, "'id' is always read", "remove it from the fields")
                continue
            }
            if !Self.isIdentifier(entry.key) {
                report(
                    line: entry.line, keyPath, "'\(entry.key)' is not an Odoo field name",
                    "use the technical field name, e.g. employee_id")
                continue
            }
            let requirement = entry.value.scalar?.string ?? ""
            switch requirement {
            case "required": fields.append(FieldRequirement(entry.key, isRequired: true))
            case "optional": fields.append(FieldRequirement(entry.key, isRequired: false))
            default:
                report(
                    entry.value, keyPath, "a field is `required` or `optional`, found \(describe(entry.value))",
                    NameSuggestion.fix(for: requirement, in: ["required", "optional"]))
            }
        }
        return fields
    }

    // MARK: - Lookups

    private mutating func parseLookups(_ node: Node) -> [LookupDefinition] {
        guard let list = entries(node, path: "lookups", expected: "named lookups") else { return [] }
        var lookups: [LookupDefinition] = []
        for entry in list {
            let path = join("lookups", entry.key)
            if !Self.isIdentifier(entry.key) {
                report(
                    line: entry.line, path, "'\(entry.key)' is not a valid lookup name",
                    "use lowercase letters, digits and underscores, e.g. partner")
            }
            guard let body = entries(entry.value, path: path, expected: "a lookup with model, via and fields") else {
                continue
            }
            checkKeys(body, allowed: Self.lookupKeys, required: Self.lookupKeys, path: path, line: entry.line)
            let section = Dictionary(body.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
            lineOfPath[path] = entry.line
            lineOfPath[path + ".via"] = section["via"]?.mark?.line
            let model = section["model"].flatMap { modelName($0, path: path + ".model") }
            let via = section["via"].flatMap { string($0, path: path + ".via", what: "a many2one field name") }
            let fields = section["fields"].map { parseFields($0, path: path + ".fields") } ?? []
            if let model, let via {
                lookups.append(LookupDefinition(name: entry.key, model: model, via: via, fields: fields))
            }
        }
        return lookups
    }

    // MARK: - Domain

    private mutating func parseDomain(_ node: Node) -> OdooDomain {
        guard let sequence = node.sequence else {
            report(
                node, "domain", "expected a domain (a list of conditions), found \(describe(node))",
                "write it as [[field, operator, value], ...]")
            return .all
        }
        var terms: [DomainTerm] = []
        for (index, item) in sequence.enumerated() {
            let path = "domain[\(index)]"
            if let scalar = item.scalar {
                guard let logical = DomainOperator(rawValue: scalar.string) else {
                    report(
                        item, path, "'\(scalar.string)' is not a domain operator",
                        "use '&', '|' or '!', or a condition [field, operator, value]")
                    continue
                }
                terms.append(.logical(logical))
                continue
            }
            guard let parts = item.sequence, parts.count == 3 else {
                report(item, path, "a condition has exactly three parts", "write it as [field, operator, value]")
                continue
            }
            let field = parts[0].scalar?.string ?? ""
            let comparison = parts[1].scalar?.string ?? ""
            var valid = true
            if !Self.isIdentifier(field.replacingOccurrences(of: ".", with: "_")) {
                report(parts[0], path, "'\(field)' is not a field name", "put the field name first")
                valid = false
            }
            if !DomainTerm.comparisonOperators.contains(comparison) {
                let fix =
                    comparison == "=="
                    ? "Odoo compares with a single '='"
                    : NameSuggestion.fix(for: comparison, in: DomainTerm.comparisonOperators.sorted())
                report(parts[1], path, "'\(comparison)' is not an Odoo domain operator", fix)
                valid = false
            }
            guard let value = domainValue(parts[2], path: path), valid else { continue }
            guard let converted = DomainTerm.odooValue(value) else {
                report(parts[2], path, "a list mixes value types", "use a list of numbers or a list of texts")
                continue
            }
            terms.append(.condition(field: field, operator: comparison, value: converted))
        }
        guard checkPrefixNotation(terms, node: node) else { return .all }
        return DomainTerm.tree(terms)
    }

    private mutating func domainValue(_ node: Node, path: String) -> YAMLDomainValue? {
        if let sequence = node.sequence {
            var values: [YAMLDomainValue] = []
            for item in sequence {
                guard let value = domainValue(item, path: path) else { return nil }
                values.append(value)
            }
            return .list(values)
        }
        guard let scalar = node.scalar else {
            report(node, path, "a domain value is text, a number, true/false or a list", "simplify the value")
            return nil
        }
        switch node.tagName {
        case .bool: return node.bool.map(YAMLDomainValue.bool)
        case .int: return node.int.map { .int(Int64($0)) }
        case .float: return node.float.map(YAMLDomainValue.double)
        case .null:
            report(node, path, "null is not an Odoo domain value", "write false to test for an empty field")
            return nil
        default: return .string(scalar.string)
        }
    }

    /// Odoo domains are prefix notation: each '&'/'|' combines the next two terms, '!' the next one,
    /// and leftover terms are ANDed.
    private mutating func checkPrefixNotation(_ terms: [DomainTerm], node: Node) -> Bool {
        var operands = 0
        for term in terms.reversed() {
            switch term {
            case .condition: operands += 1
            case .logical(let logical):
                guard operands >= logical.arity else {
                    report(
                        node, "domain", "operator '\(logical.rawValue)' needs \(logical.arity) conditions after it",
                        "add the missing condition or remove the operator")
                    return false
                }
                operands -= logical.arity - 1
            }
        }
        return true
    }

    // MARK: - YAML errors

    static func yamlProblem(_ error: Error) -> (Int?, String) {
        guard let yamlError = error as? YamlError else { return (nil, "\(error)") }
        switch yamlError {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return (mark.line, problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return (context.mark.line, "the key '\(duplicates.joined(separator: "', '"))' appears twice")
        case .reader(let problem, _, _, _):
            return (nil, problem)
        default:
            return (nil, "\(yamlError)")
        }
    }
}
