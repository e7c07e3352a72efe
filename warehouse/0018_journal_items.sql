-- Pipeline `journal_items` (pipelines/journal_items.yaml): account.move.line of every state.

CREATE TABLE warehouse.account_move_line (
    odoo_id bigint NOT NULL,
    company_id integer,
    move_id bigint,
    move_name text,
    journal_id bigint,
    journal_name text,
    account_id bigint,
    account_name text,
    name text,
    date date,
    partner_id bigint,
    partner_name text,
    debit numeric(18,2),
    credit numeric(18,2),
    balance numeric(18,2),
    amount_currency numeric(18,2),
    currency_id bigint,
    currency_name text,
    tax_ids bigint[],
    tax_line_id bigint,
    tax_line_name text,
    tax_base_amount numeric(18,2),
    display_type text,
    parent_state text,
    analytic_distribution jsonb,
    odoo_write_date timestamp NOT NULL,
    synced_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (odoo_id)
);

CREATE TABLE analytics.fact_journal_item (
    odoo_id bigint NOT NULL,
    company_id integer,
    move_id bigint,
    move_name text,
    account_id bigint,
    account_name text,
    partner_id bigint,
    partner_name text,
    date date,
    debit numeric(18,2),
    credit numeric(18,2),
    balance numeric(18,2),
    analytic_distribution jsonb,
    parent_state text,
    is_posted boolean,
    odoo_write_date timestamp NOT NULL,
    synced_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (odoo_id)
);

CREATE INDEX account_move_line_company_date_idx ON warehouse.account_move_line (company_id, date);
CREATE INDEX account_move_line_move_id_idx ON warehouse.account_move_line (move_id);
CREATE INDEX fact_journal_item_company_date_idx ON analytics.fact_journal_item (company_id, date);

SELECT warehouse.secure_tenant_table('warehouse.account_move_line');
SELECT warehouse.secure_tenant_table('analytics.fact_journal_item');
