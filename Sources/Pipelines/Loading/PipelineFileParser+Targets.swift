import ETLModel
import Yams

/// The `targets:` section: tables, keys, filters and column mappings.
extension PipelineFileParser {
    static let targetKeys = ["key", "tenant_column", "version_column", "when", "columns"]
    static let columnKeys = ["type", "from", "derive", "args"]
    static let targetSchemas = ["warehouse", "analytics", "scout"]
    /// Columns the loader adds and fills itself.
    static let loaderColumns = ["synced_at", "deleted_at"]

    mutating func parseTargets(_ node: Node, lookupNames: Set<String>) -> [TargetDefinition] {
        guard let list = entries(node, path: "targets", expected: "target tables") else { return [] }
        if list.isEmpty {
            report(node, "targets", "no target tables", "add at least one `schema.table:` with its columns")
        }
        return list.compactMap { parseTarget($0, lookupNames: lookupNames) }
    }

    private mutating func parseTarget(_ entry: YAMLEntry, lookupNames: Set<String>) -> TargetDefinition? {
        let path = join("targets", entry.key)
        let tableNameValid = checkTableName(entry.key, line: entry.line, path: path)
        guard let body = entries(entry.value, path: path, expected: "a target with key and columns") else { return nil }
        checkKeys(body, allowed: Self.targetKeys, required: ["key", "columns"], path: path, line: entry.line)
        let section = Dictionary(body.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })

        let columns = section["columns"].map { parseColumns($0, path: path + ".columns", lookupNames: lookupNames) } ?? []
        let columnNames = columns.map(\.name)
        let key = section["key"].flatMap { stringList($0, path: path + ".key", what: "column names") } ?? []
        if let keyNode = section["key"] {
            if key.isEmpty, keyNode.sequence?.isEmpty == true {
                report(keyNode, path + ".key", "the key is empty", "name the columns that identify a row, e.g. [odoo_id]")
            }
            for column in key where !columnNames.contains(column) {
                report(
                    keyNode, path + ".key", "key column '\(column)' is not one of the table's columns",
                    NameSuggestion.fix(for: column, in: columnNames))
            }
        }
        let tenantColumn = optionalColumnName(
            section["tenant_column"], default: "company_id", targetPath: path,
            key: "tenant_column", columns: columns, line: entry.line)
        if let tenantColumn, let column = columns.first(where: { $0.name == tenantColumn }),
            column.type != .integer, column.type != .bigint
        {
            report(
                line: lineOfPath[path + ".columns." + tenantColumn], path + ".columns." + tenantColumn,
                "the tenant column must be integer or bigint, found \(column.type.sql)", "declare it as integer")
        }
        let versionColumn =
            optionalColumnName(
                section["version_column"], default: "odoo_write_date", targetPath: path,
                key: "version_column", columns: columns, line: entry.line,
                allowsNone: false) ?? "odoo_write_date"
        if let column = columns.first(where: { $0.name == versionColumn }), column.type != .timestamp {
            report(
                line: lineOfPath[path + ".columns." + versionColumn], path + ".columns." + versionColumn,
                "the version column must be a timestamp, found \(column.type.sql)",
                "declare it as `timestamp` from write_date")
        }
        let filter = section["when"].flatMap { parseFilter($0, path: path + ".when") }
        guard tableNameValid else { return nil }
        let table = TableSchema(
            name: entry.key, columns: columns.map { ColumnSpec($0.name, $0.type) }, key: key,
            companyColumn: tenantColumn, versionColumn: versionColumn)
        return TargetDefinition(table: table, columns: columns, filter: filter)
    }

    private mutating func checkTableName(_ name: String, line: Int?, path: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, parts.allSatisfy(Self.isIdentifier) else {
            report(
                line: line, path, "'\(name)' is not a schema-qualified table name",
                "write it as schema.table, e.g. warehouse.hr_expense")
            return false
        }
        guard Self.targetSchemas.contains(parts[0]) else {
            report(
                line: line, path, "schema '\(parts[0])' is not one the pipelines write to",
                NameSuggestion.fix(for: parts[0], in: Self.targetSchemas))
            return false
        }
        return true
    }

    /// `tenant_column` / `version_column`: absent means the default; `null` means none (tenant only).
    private mutating func optionalColumnName(
        _ node: Node?, default defaultName: String, targetPath: String,
        key: String, columns: [ColumnDefinition], line: Int?,
        allowsNone: Bool = true
    ) -> String? {
        let names = columns.map(\.name)
        let path = targetPath + "." + key
        guard let node else {
            guard names.contains(defaultName) else {
                let fix =
                    allowsNone
                    ? "add a `\(defaultName)` column, or write `tenant_column: null` for a table no company owns"
                    : "add `\(defaultName): timestamp` (from write_date): the loader's merge guard compares it"
                report(line: line, targetPath, "the table has no '\(defaultName)' column", fix)
                return allowsNone ? nil : defaultName
            }
            return defaultName
        }
        if allowsNone, node.tagName == .null { return nil }
        guard let name = string(node, path: path, what: "a column name") else { return nil }
        if !names.contains(name) {
            report(node, path, "'\(name)' is not one of the table's columns", NameSuggestion.fix(for: name, in: names))
        }
        return name
    }

    private mutating func parseFilter(_ node: Node, path: String) -> RowFilter? {
        guard let body = entries(node, path: path, expected: "a filter {field, in}") else { return nil }
        checkKeys(body, allowed: ["field", "in"], required: ["field", "in"], path: path, line: node.mark?.line)
        let section = Dictionary(body.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        guard let field = section["field"].flatMap({ string($0, path: path + ".field", what: "a field name") }),
            let values = section["in"].flatMap({ stringList($0, path: path + ".in", what: "values") })
        else {
            return nil
        }
        lineOfPath[path + ".field"] = section["field"]?.mark?.line
        return RowFilter(field: field, values: values)
    }

    // MARK: - Columns

    private mutating func parseColumns(_ node: Node, path: String, lookupNames: Set<String>) -> [ColumnDefinition] {
        guard let list = entries(node, path: path, expected: "columns") else { return [] }
        if list.isEmpty { report(node, path, "no columns", "map at least the key and version columns") }
        var columns: [ColumnDefinition] = []
        for entry in list {
            let columnPath = join(path, entry.key)
            lineOfPath[columnPath] = entry.line
            if !Self.isIdentifier(entry.key) {
                report(
                    line: entry.line, columnPath, "'\(entry.key)' is not a valid column name",
                    "use lowercase letters, digits and underscores")
                continue
            }
            if Self.loaderColumns.contains(entry.key) {
                report(
                    line: entry.line, columnPath, "'\(entry.key)' is managed by the loader",
                    "remove it: every table gets synced_at and deleted_at automatically")
                continue
            }
            if let column = parseColumn(entry, path: columnPath, lookupNames: lookupNames) { columns.append(column) }
        }
        return columns
    }

    /// `name: type` (from the field of the same name) or `name: {type, from | derive + args}`.
    private mutating func parseColumn(_ entry: YAMLEntry, path: String, lookupNames: Set<String>) -> ColumnDefinition? {
        if entry.value.scalar != nil {
            guard let type = columnType(entry.value, path: path) else { return nil }
            let reference = self.reference(entry.key, node: entry.value, path: path, lookupNames: lookupNames)
            return reference.map { ColumnDefinition(name: entry.key, type: type, source: .value($0)) }
        }
        guard let body = entries(entry.value, path: path, expected: "a column type or {type, from}") else { return nil }
        checkKeys(body, allowed: Self.columnKeys, required: ["type"], path: path, line: entry.line)
        let section = Dictionary(body.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        let type = section["type"].flatMap { columnType($0, path: path + ".type") }
        let source: ColumnSource?
        switch (section["from"], section["derive"]) {
        case (.some, .some):
            report(
                section["derive"], path, "a column takes its value either `from` a field or `derive`s it, not both",
                "keep one of them")
            source = nil
        case (let from?, nil):
            if section["args"] != nil {
                report(section["args"], path + ".args", "`args` only goes with `derive`", "remove it")
            }
            source = string(from, path: path + ".from", what: "a field reference")
                .flatMap { reference($0, node: from, path: path + ".from", lookupNames: lookupNames) }
                .map(ColumnSource.value)
        case (nil, let derive?):
            source = derived(derive, args: section["args"], path: path, type: type, lookupNames: lookupNames)
        case (nil, nil):
            source = reference(entry.key, node: entry.value, path: path, lookupNames: lookupNames).map(ColumnSource.value)
        }
        guard let type, let source else { return nil }
        return ColumnDefinition(name: entry.key, type: type, source: source)
    }

    private mutating func columnType(_ node: Node, path: String) -> ColumnType? {
        guard let text = string(node, path: path, what: "a column type") else { return nil }
        guard let type = ColumnTypeSyntax.parse(text) else {
            let fix =
                text.hasPrefix("numeric(") && !text.hasSuffix(")")
                ? "inside { } the comma splits the value: quote it, \"numeric(18,4)\""
                : NameSuggestion.fix(for: text, in: ColumnTypeSyntax.spellings)
            report(node, path, "unknown column type '\(text)'", fix)
            return nil
        }
        return type
    }

    private mutating func derived(
        _ node: Node, args: Node?, path: String, type: ColumnType?,
        lookupNames: Set<String>
    ) -> ColumnSource? {
        guard let name = string(node, path: path + ".derive", what: "a function name") else { return nil }
        guard let function = DerivedFunction(rawValue: name) else {
            report(
                node, path + ".derive", "unknown derived function '\(name)'",
                NameSuggestion.fix(for: name, in: DerivedFunction.allCases.map(\.rawValue)))
            return nil
        }
        if let type, !function.canFill(type) {
            report(
                node, path + ".type", "\(name) produces \(function.resultDescription), not \(type.sql)",
                "declare the column as \(function.resultDescription)")
        }
        guard let args else {
            report(
                node, path, "\(name) needs `args`",
                "add args: [field, ...] (\(function.arity.lowerBound) to "
                    + "\(function.arity.upperBound) values)")
            return nil
        }
        guard let texts = stringList(args, path: path + ".args", what: "field references") else { return nil }
        guard function.arity.contains(texts.count) else {
            let expected =
                function.arity.count == 1
                ? "\(function.arity.lowerBound)"
                : "\(function.arity.lowerBound) or \(function.arity.upperBound)"
            report(
                args, path + ".args", "\(name) takes \(expected) argument(s), found \(texts.count)",
                "pass \(expected) field reference(s)")
            return nil
        }
        let references = texts.compactMap { reference($0, node: args, path: path + ".args", lookupNames: lookupNames) }
        guard references.count == texts.count else { return nil }
        return .derived(function, references)
    }

    /// `field`, `field.id`, `field.name`, `lookup.field`, `lookup.field.name`.
    mutating func reference(_ text: String, node: Node, path: String, lookupNames: Set<String>) -> ValueReference? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard (1...3).contains(parts.count), parts.allSatisfy(Self.isIdentifier) else {
            report(
                node, path, "'\(text)' is not a field reference",
                "write field, field.name, or lookup.field (e.g. employee_id.name, partner.vat)")
            return nil
        }
        func part(_ text: String) -> ValueReference.Part? {
            ValueReference.Part(rawValue: text).flatMap { $0 == .whole ? nil : $0 }
        }
        switch parts.count {
        case 1:
            return ValueReference(field: parts[0])
        case 2 where lookupNames.contains(parts[0]):
            return ValueReference(lookup: parts[0], field: parts[1])
        case 2:
            guard let piece = part(parts[1]) else {
                report(
                    node, path,
                    "in '\(text)', '\(parts[0])' is not a lookup of this pipeline and '\(parts[1])' is "
                        + "not id or name",
                    lookupNames.isEmpty
                        ? "declare the lookup under `lookups:`"
                        : NameSuggestion.fix(for: parts[0], in: lookupNames.sorted()))
                return nil
            }
            return ValueReference(field: parts[0], part: piece)
        default:
            guard lookupNames.contains(parts[0]), let piece = part(parts[2]) else {
                report(
                    node, path, "'\(text)' is not lookup.field.id or lookup.field.name",
                    lookupNames.isEmpty
                        ? "declare the lookup under `lookups:`"
                        : "use one of the lookups " + lookupNames.sorted().joined(separator: ", "))
                return nil
            }
            return ValueReference(lookup: parts[0], field: parts[1], part: piece)
        }
    }
}
