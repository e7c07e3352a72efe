/// Where `sync` and `backfill` read records (`etl.extractor`, `--source`): Odoo's API, or Odoo's
/// own PostgreSQL through the read-only URL of `odoo.db_url_env` (for large backfills). Planning
/// (version, `fields_get`, companies) always uses the API.
public enum ExtractionSource: String, Hashable, Sendable, CaseIterable {
    case xmlrpc
    case sql
}

/// A company (`res.company`) as the user named it: digits are an id, anything else an exact name.
/// Resolving a name needs Odoo, so the engine does that (and lists candidates when it is unknown or
/// ambiguous).
public enum CompanySelection: Hashable, Sendable, CustomStringConvertible {
    case id(Int)
    case name(String)

    public var description: String {
        switch self {
        case .id(let id): return "id \(id)"
        case .name(let name): return "'\(name)'"
        }
    }
}
