/// One problem found in a pipeline file: where it is, what is wrong, and how to fix it.
public struct PipelineDiagnostic: Hashable, Sendable, CustomStringConvertible {
    /// The file as given to the loader, e.g. `pipelines/expenses.yaml`.
    public let file: String
    /// 1-based line of the offending key or value, when known.
    public let line: Int?
    /// Where in the document, e.g. `targets["analytics.fact_expense"].columns.stage.derive`.
    public let keyPath: String
    public let problem: String
    public let fix: String

    public init(file: String, line: Int?, keyPath: String, problem: String, fix: String) {
        self.file = file
        self.line = line
        self.keyPath = keyPath
        self.problem = problem
        self.fix = fix
    }

    /// `pipelines/x.yaml:3: feilds: unknown key 'feilds' — did you mean 'fields'?`
    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        let path = keyPath.isEmpty ? "" : " \(keyPath):"
        return "\(location):\(path) \(problem) — \(fix)"
    }
}

/// Pipeline files that cannot be used, with every problem found in them (not just the first).
public struct PipelineValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    public let diagnostics: [PipelineDiagnostic]

    public init(diagnostics: [PipelineDiagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String {
        let files = Set(diagnostics.map(\.file)).sorted()
        let count = diagnostics.count == 1 ? "1 problem" : "\(diagnostics.count) problems"
        var text = "pipeline files are invalid (\(count) in \(files.joined(separator: ", "))); nothing was synced:"
        for diagnostic in diagnostics { text += "\n  " + diagnostic.description }
        return text
    }
}
