import Foundation
import Postgres

/// A PostgreSQL database with the table layout of a real Odoo 18 (`odoo18-schema` fixture: the
/// `CREATE TABLE` statements, indexes and constraints of the tables the pipelines read), for
/// testing the SQL source against what it meets in production.
public enum OdooLayoutSchema {
    /// Tables the pipelines reach that the fixture does not hold, in Odoo 18's layout: countries
    /// and tax groups (display names), the journal item ↔ tax relation (`tax_ids`), and the ATC
    /// code `l10n_ph` adds to taxes.
    public static let additions = """
        CREATE TABLE public.res_country (
            id serial PRIMARY KEY, currency_id integer, phone_code integer, create_uid integer, write_uid integer,
            code character varying(2) NOT NULL, name jsonb NOT NULL, create_date timestamp without time zone,
            write_date timestamp without time zone);
        CREATE TABLE public.account_tax_group (
            id serial PRIMARY KEY, sequence integer, company_id integer NOT NULL, country_id integer, create_uid integer,
            write_uid integer, name jsonb NOT NULL, create_date timestamp without time zone, write_date timestamp without time zone);
        CREATE TABLE public.account_move_line_account_tax_rel (
            account_move_line_id integer NOT NULL, account_tax_id integer NOT NULL,
            PRIMARY KEY (account_move_line_id, account_tax_id));
        CREATE INDEX account_move_line_account_tax_rel_account_tax_id_idx
            ON public.account_move_line_account_tax_rel (account_tax_id, account_move_line_id);
        ALTER TABLE public.account_tax ADD COLUMN l10n_ph_atc character varying;
        """

    /// The fixture's statements, without psql's backslash meta-commands (`\restrict`), which
    /// libpq does not understand.
    public static func fixtureSQL() throws -> String {
        let text = try String(contentsOf: TestPaths.odoo18Schema.appendingPathComponent("odoo18_tables.sql"), encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("\\") }
            .joined(separator: "\n")
    }

    /// Creates the layout in the (empty) database behind `connection`.
    public static func create(on connection: PostgresConnection) throws {
        try connection.execute(script: try fixtureSQL())
        try connection.execute(script: additions)
    }

    /// A fresh database with the layout; returns its URL and a connection.
    public static func newDatabase() throws -> (url: String, connection: PostgresConnection) {
        let (url, connection) = try PostgresHarness.shared.connectToNewDatabase()
        try create(on: connection)
        return (url, connection)
    }
}
