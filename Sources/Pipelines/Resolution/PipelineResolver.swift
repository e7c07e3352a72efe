import ETLModel

/// Checks a pipeline against one Odoo's `fields_get` answers. Detection is by fields and models,
/// never by version string: the version only appears in messages.
public enum PipelineResolver {
    /// - Parameters:
    ///   - models: `fields_get` of every model in `definition.modelsToInspect`.
    ///   - odooVersion: the server's version string (e.g. `18.0`), for messages.
    public static func resolve(
        _ definition: PipelineDefinition, models: [String: ModelFields],
        odooVersion: String
    ) -> PipelineResolution {
        var resolver = Resolution(definition: definition, models: models, version: odooVersion)
        return resolver.run()
    }
}

/// One resolution in progress: collects every problem and warning before deciding.
private struct Resolution {
    let definition: PipelineDefinition
    let models: [String: ModelFields]
    let version: String
    var problems: [String] = []
    var warnings: [ResolutionNotice] = []

    init(definition: PipelineDefinition, models: [String: ModelFields], version: String) {
        self.definition = definition
        self.models = models
        self.version = version
    }

    mutating func run() -> PipelineResolution {
        let model = definition.model
        guard let main = models[model] else {
            return failure([
                "fields_get of \(model) was not provided to the resolver; the engine must inspect every "
                    + "model in modelsToInspect"
            ])
        }
        guard case .available(let mainFields) = main else {
            return .skipped(
                ResolutionNotice(
                    pipeline: definition.name, model: model, field: nil,
                    message: "skipped: model \(model) does not exist on this Odoo (\(version)); its tables keep the rows "
                        + "already loaded"))
        }
        let absentMain = checkFields(definition.fields, of: model, fields: mainFields, lookup: nil)
        checkDomain(mainFields)
        var lookups: [String: CompiledLookup] = [:]
        var lookupFields: [String: [String: OdooField]] = [:]
        var absentLookupFields: [String: Set<String>] = [:]
        for lookup in definition.lookups where !absentMain.contains(lookup.via) {
            guard checkVia(lookup, mainFields: mainFields) else { continue }
            guard let related = models[lookup.model] else {
                problems.append(
                    "fields_get of \(lookup.model) (lookup '\(lookup.name)') was not provided to the "
                        + "resolver; the engine must inspect every model in modelsToInspect")
                continue
            }
            guard case .available(let fields) = related else {
                _ = checkFields(lookup.fields, of: lookup.model, fields: [:], lookup: lookup)
                continue
            }
            let absent = checkFields(lookup.fields, of: lookup.model, fields: fields, lookup: lookup)
            guard absent.count < lookup.fields.count else { continue }
            lookups[lookup.name] = CompiledLookup(name: lookup.name, model: lookup.model, via: lookup.via)
            lookupFields[lookup.name] = fields
            absentLookupFields[lookup.name] = absent
        }
        let targets = definition.targets.map { target in
            compile(
                target, mainFields: mainFields, absentMain: absentMain, lookups: lookups,
                lookupFields: lookupFields, absentLookupFields: absentLookupFields)
        }
        guard problems.isEmpty else { return failure(problems) }
        return .ready(
            PipelinePlan(
                definition: definition, odooVersion: version,
                fieldsToRead: definition.fields.map(\.name).filter { !absentMain.contains($0) },
                lookupRequests: lookupRequests(lookups, absentLookupFields: absentLookupFields),
                warnings: warnings, targets: targets, lookups: lookups))
    }

    private func failure(_ problems: [String]) -> PipelineResolution {
        .failed(
            PipelineResolutionError(
                pipeline: definition.name, sourcePath: definition.sourcePath,
                odooVersion: version, problems: problems))
    }

    /// Returns the fields this Odoo lacks; reports required ones as problems, optional ones as warnings.
    private mutating func checkFields(
        _ requirements: [FieldRequirement], of model: String, fields: [String: OdooField],
        lookup: LookupDefinition?
    ) -> Set<String> {
        var absent: Set<String> = []
        let modelMissing = fields.isEmpty
        for requirement in requirements where fields[requirement.name] == nil {
            absent.insert(requirement.name)
            let place = lookup.map { "lookups.\($0.name).fields" } ?? "fields"
            if requirement.isRequired {
                let reason =
                    modelMissing
                    ? "model \(model) does not exist on this Odoo (\(version))"
                    : "\(model) has no field '\(requirement.name)' on this Odoo (\(version))"
                problems.append(
                    "\(reason), and \(definition.sourcePath) lists \(model).\(requirement.name) as required "
                        + "under \(place): mark it `optional` there if NULL is acceptable, or install the Odoo "
                        + "module that provides it")
            } else {
                let affected = affectedColumns(field: requirement.name, lookup: lookup)
                var consequence = affected.nulled.isEmpty ? "" : "; " + affected.nulled.joined(separator: ", ") + " will be NULL"
                if !affected.derived.isEmpty {
                    consequence += "; " + affected.derived.joined(separator: ", ") + " are derived without it"
                }
                if lookup == nil {
                    let dropped = definition.lookups.filter { $0.via == requirement.name }.map { "'\($0.name)'" }
                    if !dropped.isEmpty { consequence += " (lookup \(dropped.joined(separator: ", ")) is not read)" }
                }
                warnings.append(
                    ResolutionNotice(
                        pipeline: definition.name, model: model, field: requirement.name,
                        message: "\(model).\(requirement.name) is not on this Odoo (\(version))\(consequence)"))
            }
        }
        return absent
    }

    /// Columns that read `field` of the pipeline's record (directly or through a lookup via it), or
    /// of the given lookup's record: plain ones become NULL, derived ones lose one input.
    private func affectedColumns(field: String, lookup: LookupDefinition?) -> (nulled: [String], derived: [String]) {
        let viaLookups = Set(definition.lookups.filter { $0.via == field }.map(\.name))
        func uses(_ reference: ValueReference) -> Bool {
            if let lookup { return reference.lookup == lookup.name && reference.field == field }
            return (reference.lookup == nil && reference.field == field) || reference.lookup.map(viaLookups.contains) == true
        }
        var nulled: [String] = []
        var derived: [String] = []
        for target in definition.targets {
            for column in target.columns {
                let name = "\(target.table.name).\(column.name)"
                switch column.source {
                case .value(let reference) where uses(reference): nulled.append(name)
                case .derived(_, let arguments) where arguments.contains(where: uses): derived.append(name)
                default: break
                }
            }
        }
        return (nulled, derived)
    }

    private mutating func checkDomain(_ fields: [String: OdooField]) {
        for path in definition.domain.fieldPaths {
            let field = String(path.split(separator: ".").first ?? "")
            if fields[field] == nil {
                problems.append(
                    "the domain of \(definition.sourcePath) filters on \(definition.model).\(field), which "
                        + "this Odoo (\(version)) does not have: change the domain")
            }
        }
    }

    private mutating func checkVia(_ lookup: LookupDefinition, mainFields: [String: OdooField]) -> Bool {
        guard let via = mainFields[lookup.via] else { return false }
        guard via.type == .many2one, via.relation == lookup.model else {
            let actual = via.type == .many2one ? "a many2one to \(via.relation ?? "an unknown model")" : via.typeName
            problems.append(
                "lookup '\(lookup.name)' goes via \(definition.model).\(lookup.via), which is \(actual) on "
                    + "this Odoo (\(version)), not a many2one to \(lookup.model): fix `via` or `model` in "
                    + definition.sourcePath)
            return false
        }
        return true
    }

    // MARK: - Columns

    private mutating func compile(
        _ target: TargetDefinition, mainFields: [String: OdooField], absentMain: Set<String>,
        lookups: [String: CompiledLookup], lookupFields: [String: [String: OdooField]],
        absentLookupFields: [String: Set<String>]
    ) -> CompiledTarget {
        func compileReference(_ reference: ValueReference) -> (CompiledReference, OdooField?) {
            guard let lookupName = reference.lookup else {
                let absent = absentMain.contains(reference.field)
                return (CompiledReference(reference: reference, lookup: nil, isAbsent: absent), mainFields[reference.field])
            }
            guard let lookup = lookups[lookupName] else {
                return (CompiledReference(reference: reference, lookup: nil, isAbsent: true), nil)
            }
            let absent = reference.field != "id" && absentLookupFields[lookupName]?.contains(reference.field) == true
            return (
                CompiledReference(reference: reference, lookup: lookup, isAbsent: absent),
                lookupFields[lookupName]?[reference.field]
            )
        }
        if let filter = target.filter, let field = mainFields[filter.field],
            field.type != .selection, field.type != .char
        {
            problems.append(
                "\(target.table.name) filters on \(definition.model).\(filter.field), a \(field.typeName) "
                    + "field; `when` needs a selection or char field")
        }
        let columns = target.columns.map { column -> CompiledColumn in
            let place = "\(target.table.name).\(column.name)"
            switch column.source {
            case .value(let reference):
                let (compiled, field) = compileReference(reference)
                checkType(of: compiled, field: field, column: column.type, place: place)
                return CompiledColumn(name: column.name, type: column.type, source: .value(compiled))
            case .derived(let function, let arguments):
                let compiled = arguments.enumerated().map { index, reference -> CompiledReference in
                    let (compiledReference, field) = compileReference(reference)
                    checkArgument(compiledReference, field: field, function: function, index: index, place: place)
                    return compiledReference
                }
                return CompiledColumn(name: column.name, type: column.type, source: .derived(function, compiled))
            }
        }
        return CompiledTarget(table: target.table, columns: columns, filter: target.filter)
    }

    private mutating func checkType(of reference: CompiledReference, field: OdooField?, column: ColumnType, place: String) {
        if reference.reference.field == "id" {
            if !FieldTypeCompatibility.isInteger(column) {
                problems.append("\(place) holds a record id but is declared \(column.sql): declare it bigint")
            }
            return
        }
        guard !reference.isAbsent, let field else { return }
        guard let type = field.type else {
            problems.append(
                "\(place) reads \(reference.reference), whose Odoo type '\(field.typeName)' this engine "
                    + "does not know: map a different field")
            return
        }
        let part = reference.reference.part
        if !FieldTypeCompatibility.accepts(type, part: part, column: column) {
            problems.append(
                "\(place) is \(column.sql) but reads \(reference.reference), a \(type.rawValue) field on "
                    + "this Odoo (\(version)): "
                    + FieldTypeCompatibility.hint(type, part: part, reference: reference.reference))
        }
    }

    private mutating func checkArgument(
        _ reference: CompiledReference, field: OdooField?, function: DerivedFunction,
        index: Int, place: String
    ) {
        guard !reference.isAbsent, reference.reference.part == .whole else {
            if reference.reference.part != .whole {
                problems.append("\(place): \(function.rawValue) takes whole fields, not \(reference.reference)")
            }
            return
        }
        let accepted = function.parameterTypes[index]
        let actual = reference.reference.field == "id" ? OdooFieldType.integer : field?.type
        guard let actual, accepted.contains(actual) else {
            let names = accepted.map(\.rawValue).sorted().joined(separator: " or ")
            problems.append(
                "\(place): argument \(index + 1) of \(function.rawValue) must be a \(names) field, but "
                    + "\(reference.reference) is \(field?.typeName ?? "unknown") on this Odoo (\(version))")
            return
        }
    }

    private func lookupRequests(
        _ lookups: [String: CompiledLookup],
        absentLookupFields: [String: Set<String>]
    ) -> [LookupRequest] {
        var requests: [LookupRequest] = []
        for lookup in definition.lookups {
            guard lookups[lookup.name] != nil else { continue }
            let absent = absentLookupFields[lookup.name] ?? []
            let fields = lookup.fields.map(\.name).filter { !absent.contains($0) }
            if let index = requests.firstIndex(where: { $0.model == lookup.model }) {
                let existing = requests[index]
                requests[index] = LookupRequest(
                    model: lookup.model, fields: existing.fields + fields.filter { !existing.fields.contains($0) },
                    idsFrom: existing.idsFrom.contains(lookup.via) ? existing.idsFrom : existing.idsFrom + [lookup.via])
            } else {
                requests.append(LookupRequest(model: lookup.model, fields: fields, idsFrom: [lookup.via]))
            }
        }
        return requests
    }
}
