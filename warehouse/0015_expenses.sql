-- Pipeline `expenses` (pipelines/expenses.yaml): hr.expense of Odoo 18 and 19. Columns of only one
-- version stay NULL on the other (sheet_id, accounting_date, approved_by/on on 18; account_move_id,
-- approval_state/date, manager, department, journal, untaxed_amount, amount_residual on 19).

CREATE TABLE warehouse.hr_expense (
    odoo_id bigint NOT NULL,
    company_id integer,
    name text,
    employee_id bigint,
    employee_name text,
    product_id bigint,
    product_name text,
    quantity numeric(18,4),
    price_unit numeric(18,4),
    total_amount_currency numeric(18,2),
    total_amount numeric(18,2),
    untaxed_amount_currency numeric(18,2),
    untaxed_amount numeric(18,2),
    tax_amount numeric(18,2),
    amount_residual numeric(18,2),
    currency_id bigint,
    currency_name text,
    company_currency_id bigint,
    company_currency_name text,
    date date,
    accounting_date date,
    state text,
    approval_state text,
    payment_mode text,
    sheet_id bigint,
    sheet_name text,
    account_move_id bigint,
    account_move_name text,
    journal_id bigint,
    journal_name text,
    approved_by bigint,
    approved_by_name text,
    approved_on timestamp,
    approval_date timestamp,
    manager_id bigint,
    manager_name text,
    department_id bigint,
    department_name text,
    analytic_distribution jsonb,
    odoo_write_date timestamp NOT NULL,
    synced_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (odoo_id)
);

CREATE TABLE analytics.fact_expense (
    odoo_id bigint NOT NULL,
    company_id integer,
    expense_month date,
    expense_date date,
    employee_id bigint,
    employee_name text,
    category_id bigint,
    category_name text,
    amount numeric(18,2),
    currency_name text,
    state text,
    stage text,
    payment_mode text,
    approval_level text,
    expense_report_id bigint,
    journal_entry_id bigint,
    odoo_write_date timestamp NOT NULL,
    synced_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (odoo_id)
);

CREATE INDEX hr_expense_company_id_idx ON warehouse.hr_expense (company_id);
CREATE INDEX fact_expense_company_month_idx ON analytics.fact_expense (company_id, expense_month);

SELECT warehouse.secure_tenant_table('warehouse.hr_expense');
SELECT warehouse.secure_tenant_table('analytics.fact_expense');
