import ETLModel
import Foundation

/// Why a run could not start, or why a unit failed. Each says what happened, where, what was not
/// committed and what to do next.
public enum SyncError: Error, CustomStringConvertible {
    case unknownPipeline(String, known: [String])
    case unknownCompany(CompanySelection, candidates: [String])
    case ambiguousCompany(String, matches: [String])
    case interrupted
    case warehouseNotMigrated(endpoint: String)

    public var description: String {
        switch self {
        case .unknownPipeline(let name, let known):
            return "no pipeline named '\(name)'; known pipelines: \(known.joined(separator: ", "))"
        case .unknownCompany(let selection, let candidates):
            return "no Odoo company with \(selection); companies: \(candidates.joined(separator: ", "))"
        case .ambiguousCompany(let name, let matches):
            return "company name '\(name)' matches several companies: \(matches.joined(separator: ", ")); pass the id instead"
        case .warehouseNotMigrated(let endpoint):
            return "the warehouse \(endpoint) has no etl schema yet; nothing was read or written"
        case .interrupted:
            return "interrupted; the batch in flight was rolled back or committed with its checkpoint, the next run resumes there"
        }
    }
}
