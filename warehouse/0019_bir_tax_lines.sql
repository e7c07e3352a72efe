-- Pipeline `bir_tax_lines` (pipelines/bir_tax_lines.yaml): posted tax lines as BIR transactions,
-- keyed by company and move line. tax_amount is the line's balance (debit positive), base_amount
-- Odoo's tax_base_amount; the views of 0020 turn them into the amounts the BIR forms show.

CREATE TABLE scout.transactions (
    company_id integer NOT NULL,
    odoo_id bigint NOT NULL,
    transaction_type text,
    tax_use text,
    transaction_date date,
    move_id bigint,
    move_type text,
    document_number text,
    document_reference text,
    payee_id bigint,
    payee_name text,
    payee_tin text,
    payee_branch_code text,
    tax_id bigint,
    tax_name text,
    atc_code text,
    tax_rate numeric(18,4),
    base_amount numeric(18,2),
    tax_amount numeric(18,2),
    odoo_write_date timestamp NOT NULL,
    synced_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (company_id, odoo_id)
);

CREATE INDEX transactions_company_date_idx ON scout.transactions (company_id, transaction_date);

SELECT warehouse.secure_tenant_table('scout.transactions');
