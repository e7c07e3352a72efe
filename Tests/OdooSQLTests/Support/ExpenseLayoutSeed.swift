import Foundation
import OdooSQL
import Postgres
import TestSupport

/// A small Odoo 18 database (the real table layout) around `hr_expense`: two companies, a
/// user, an employee, a product with a translated name, an expense report, and expenses whose
/// write_dates are laid out to trip any paging that trusts id order within a second.
enum ExpenseLayoutSeed {
    static let reference = """
        INSERT INTO res_country (id, code, name) VALUES (176, 'PH', '{"en_US": "Philippines", "fil_PH": "Pilipinas"}');
        INSERT INTO res_currency (id, name, symbol, active) VALUES (1, 'USD', '$', true), (2, 'PHP', '₱', true);
        INSERT INTO res_partner (id, name, complete_name, type, active, autopost_bills)
        VALUES (1, 'Makati Holdings Inc.', 'Makati Holdings Inc.', 'contact', true, 'ask'),
               (7, 'Marc Demo', 'Marc Demo', 'contact', true, 'ask');
        INSERT INTO res_company (id, name, partner_id, currency_id, parent_path, layout_background, fiscalyear_last_day,
                                 fiscalyear_last_month, account_opening_date, account_price_include, account_fiscal_country_id)
        VALUES (1, 'Makati Holdings Inc.', 1, 2, '1/', 'blank', 31, '12', '2025-01-01', 'tax_excluded', 176),
               (2, 'Cebu Logistics Corp.', 1, 2, '1/2/', 'blank', 31, '12', '2025-01-01', 'tax_excluded', 176);
        INSERT INTO res_users (id, company_id, partner_id, login, notification_type) VALUES (6, 1, 7, 'demo', 'email');
        INSERT INTO hr_employee (id, resource_id, company_id, name, marital, distance_home_work_unit, employee_type, active)
        VALUES (1, 1, 1, 'Juan Santos', 'single', 'kilometers', 'employee', true);
        INSERT INTO product_template (id, categ_id, uom_id, uom_po_id, type, service_tracking, name)
        VALUES (1, 1, 1, 1, 'service', 'no', '{"en_US": "Meals", "fil_PH": "Pagkain"}');
        INSERT INTO product_product (id, product_tmpl_id, default_code) VALUES (50, 1, 'FOOD'), (51, 1, NULL);
        INSERT INTO hr_expense_sheet (id, company_id, employee_id, user_id, name, state, approval_date, write_date)
        VALUES (1, 1, 1, 6, 'Juan - March expenses', 'approve', '2025-03-04 09:15:30.250000', '2025-03-04 09:15:30.250000');
        """

    /// 3,000 expenses, every fifth of company 2. Seconds hold four rows each whose microseconds
    /// run against their ids (1–1,000); one import transaction puts 1,300 rows in the same
    /// microsecond (1,001–2,300) and 150 rows of another transaction, with higher ids, earlier in
    /// that same second (2,301–2,450); then ids run backwards in time (2,451–3,000).
    static let expenses = """
        INSERT INTO hr_expense (id, employee_id, company_id, product_id, currency_id, name, state, payment_mode, quantity,
                                price_unit, total_amount, date, write_date)
        SELECT g, 1, CASE WHEN g % 5 = 0 THEN 2 ELSE 1 END, 50, 2, 'Expense ' || g, 'draft', 'own_account', 1, 10, 10 + g,
               DATE '2025-01-01' + (g % 28),
               CASE
                   WHEN g <= 1000 THEN TIMESTAMP '2025-01-01 00:00:00' + make_interval(secs => g / 4)
                                       + make_interval(secs => (999 - (g % 4) * 250) / 1000000.0)
                   WHEN g <= 2300 THEN TIMESTAMP '2025-02-01 10:00:00.500000'
                   WHEN g <= 2450 THEN TIMESTAMP '2025-02-01 10:00:00.100000'
                   ELSE TIMESTAMP '2025-03-01 00:00:00' + make_interval(secs => (3000 - g) * 0.5)
               END
        FROM generate_series(1, 3000) g;
        """

    static func create() throws -> (url: String, connection: PostgresConnection) {
        let (url, connection) = try OdooLayoutSchema.newDatabase()
        try connection.execute(script: reference)
        try connection.execute(script: expenses)
        return (url, connection)
    }
}
