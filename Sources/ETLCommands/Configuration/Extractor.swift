import ArgumentParser

/// Where `sync` and `backfill` read records (`etl.extractor`, `--source`): Odoo's XML-RPC API, or
/// Odoo's own PostgreSQL through the read-only URL of `odoo.db_url_env` (for large backfills).
public enum Extractor: String, Sendable, CaseIterable, ExpressibleByArgument {
    case xmlrpc
    case sql
}
