import ETLModel

/// Cross-references inside one file: every value a column, lookup or filter uses is declared, and
/// every declared field is used.
extension PipelineFileParser {
    mutating func checkReferences(_ definition: PipelineDefinition) {
        let fieldNames = Set(definition.fields.map(\.name))
        let lookups = Dictionary(definition.lookups.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var used: Set<String> = []

        let problemsBefore = diagnostics.count
        if !definition.fields.contains(FieldRequirement("write_date", isRequired: true)) {
            report(
                line: lineOfPath["fields"], "fields", "write_date is not listed as required",
                "add `write_date: required`: incremental reads and the merge guard depend on it")
        }
        for lookup in definition.lookups {
            let path = join("lookups", lookup.name)
            used.insert(lookup.via)
            if fieldNames.contains(lookup.name) {
                report(
                    line: lineOfPath[path], path, "the lookup name '\(lookup.name)' is also a field of \(definition.model)",
                    "rename the lookup so `\(lookup.name).x` is unambiguous, e.g. \(lookup.name)_record")
            }
            if !fieldNames.contains(lookup.via) {
                report(
                    line: lineOfPath[path + ".via"], path + ".via", "'\(lookup.via)' is not listed under fields",
                    addFix(lookup.via, to: "fields", among: fieldNames))
            }
        }
        for target in definition.targets {
            let path = join("targets", target.table.name)
            if let filter = target.filter {
                used.insert(filter.field)
                if !fieldNames.contains(filter.field) {
                    report(
                        line: lineOfPath[path + ".when.field"], path + ".when.field",
                        "'\(filter.field)' is not listed under fields", "add `\(filter.field): required` to fields")
                }
            }
            for column in target.columns {
                let columnPath = path + ".columns." + column.name
                let references: [ValueReference]
                switch column.source {
                case .value(let reference): references = [reference]
                case .derived(_, let arguments): references = arguments
                }
                for reference in references {
                    if reference.lookup == nil { used.insert(reference.field) }
                    check(reference, column: columnPath, fields: fieldNames, lookups: lookups)
                }
                if column.name == target.table.versionColumn, column.source != .value(ValueReference(field: "write_date")) {
                    report(
                        line: lineOfPath[columnPath], columnPath, "the version column must come from write_date",
                        "map it as `\(column.name): {type: timestamp, from: write_date}`")
                }
            }
        }
        // Columns that failed to parse would show up as unused fields: report those only on a clean file.
        guard diagnostics.count == problemsBefore, problemsBefore == 0 else { return }
        for field in definition.fields where !used.contains(field.name) {
            report(
                line: lineOfPath[join("fields", field.name)], join("fields", field.name),
                "'\(field.name)' is read but no column, lookup or filter uses it",
                "map it to a column or remove it from fields")
        }
    }

    private mutating func check(
        _ reference: ValueReference, column: String, fields: Set<String>,
        lookups: [String: LookupDefinition]
    ) {
        let line = lineOfPath[column]
        if reference.field == "id" {
            if reference.part != .whole {
                report(
                    line: line, column, "'\(reference)': id is a number, it has no .\(reference.part.rawValue)",
                    "write just `id`")
            }
            return
        }
        guard let lookupName = reference.lookup else {
            if !fields.contains(reference.field) {
                report(
                    line: line, column, "'\(reference.field)' is not listed under fields",
                    addFix(reference.field, to: "fields", among: fields))
            }
            return
        }
        guard let lookup = lookups[lookupName] else { return }
        if !lookup.fields.contains(where: { $0.name == reference.field }) {
            report(
                line: line, column, "'\(reference.field)' is not listed under lookups.\(lookupName).fields",
                addFix(reference.field, to: "lookups.\(lookupName).fields", among: Set(lookup.fields.map(\.name))))
        }
    }

    /// A typo gets "did you mean"; a genuinely new field gets "add it".
    private func addFix(_ field: String, to place: String, among declared: Set<String>) -> String {
        if let match = NameSuggestion.closest(to: field, in: declared.sorted()) { return "did you mean '\(match)'?" }
        return "add `\(field): required` (or optional) to \(place)"
    }
}
