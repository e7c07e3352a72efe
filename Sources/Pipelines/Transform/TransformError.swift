/// A record the transformer cannot turn into rows. The batch it belongs to must not be loaded.
public struct TransformError: Error, Hashable, Sendable, CustomStringConvertible {
    public let pipeline: String
    public let model: String
    public let recordID: Int64
    /// `schema.table.column`, or empty when the problem is not about one column.
    public let column: String
    public let problem: String
    public let fix: String

    public init(pipeline: String, model: String, recordID: Int64, column: String, problem: String, fix: String) {
        self.pipeline = pipeline
        self.model = model
        self.recordID = recordID
        self.column = column
        self.problem = problem
        self.fix = fix
    }

    public var description: String {
        let place = column.isEmpty ? "" : ", column \(column)"
        return "pipeline '\(pipeline)': \(model) record \(recordID)\(place): \(problem) — \(fix)"
    }
}
