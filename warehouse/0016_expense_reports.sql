-- Pipeline `expense_reports` (pipelines/expense_reports.yaml): hr.expense.sheet of Odoo 18 and
-- earlier. On Odoo 19 the pipeline is skipped and the table keeps what was loaded before.

CREATE TABLE warehouse.hr_expense_sheet (
    odoo_id bigint NOT NULL,
    company_id integer,
    name text,
    employee_id bigint,
    employee_name text,
    department_id bigint,
    department_name text,
    user_id bigint,
    user_name text,
    state text,
    stage text,
    approval_state text,
    approval_date timestamp,
    payment_state text,
    total_amount numeric(18,2),
    untaxed_amount numeric(18,2),
    total_tax_amount numeric(18,2),
    amount_residual numeric(18,2),
    currency_id bigint,
    currency_name text,
    accounting_date date,
    journal_id bigint,
    journal_name text,
    account_move_ids bigint[],
    odoo_write_date timestamp NOT NULL,
    synced_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (odoo_id)
);

CREATE INDEX hr_expense_sheet_company_id_idx ON warehouse.hr_expense_sheet (company_id);

SELECT warehouse.secure_tenant_table('warehouse.hr_expense_sheet');
