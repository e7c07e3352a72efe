/// A company (`res.company`) as the user named it: digits are an id, anything else an exact name.
/// Resolving a name needs Odoo, so the engine does that (and lists candidates when it is unknown or
/// ambiguous).
public enum CompanySelector: Sendable, Hashable, CustomStringConvertible {
    case id(Int)
    case name(String)

    public var description: String {
        switch self {
        case .id(let id): return "#\(id)"
        case .name(let name): return "'\(name)'"
        }
    }
}
