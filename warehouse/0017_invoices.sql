-- Pipeline `invoices` (pipelines/invoices.yaml): account.move; invoices and refunds also in
-- analytics.fact_invoice.

CREATE TABLE warehouse.account_move (
    odoo_id bigint NOT NULL,
    company_id integer,
    name text,
    move_type text,
    state text,
    partner_id bigint,
    partner_name text,
    date date,
    invoice_date date,
    invoice_date_due date,
    journal_id bigint,
    journal_name text,
    currency_id bigint,
    currency_name text,
    amount_untaxed numeric(18,2),
    amount_tax numeric(18,2),
    amount_total numeric(18,2),
    amount_residual numeric(18,2),
    amount_untaxed_signed numeric(18,2),
    amount_tax_signed numeric(18,2),
    amount_total_signed numeric(18,2),
    amount_residual_signed numeric(18,2),
    payment_state text,
    ref text,
    invoice_origin text,
    odoo_write_date timestamp NOT NULL,
    synced_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (odoo_id)
);

CREATE TABLE analytics.fact_invoice (
    odoo_id bigint NOT NULL,
    company_id integer,
    invoice_number text,
    move_type text,
    state text,
    partner_id bigint,
    partner_name text,
    invoice_date date,
    due_date date,
    currency_name text,
    untaxed_amount numeric(18,2),
    tax_amount numeric(18,2),
    total_amount numeric(18,2),
    residual_amount numeric(18,2),
    total_amount_signed numeric(18,2),
    residual_amount_signed numeric(18,2),
    payment_state text,
    odoo_write_date timestamp NOT NULL,
    synced_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (odoo_id)
);

CREATE INDEX account_move_company_date_idx ON warehouse.account_move (company_id, date);
CREATE INDEX fact_invoice_company_due_idx ON analytics.fact_invoice (company_id, due_date);

SELECT warehouse.secure_tenant_table('warehouse.account_move');
SELECT warehouse.secure_tenant_table('analytics.fact_invoice');
