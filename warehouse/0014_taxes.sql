-- Pipeline `taxes` (pipelines/taxes.yaml): account.tax with its BIR transaction type and, on a
-- Philippine localization, its ATC code (l10n_ph_atc).

CREATE TABLE warehouse.account_tax (
    odoo_id bigint NOT NULL,
    company_id integer,
    name text,
    type_tax_use text,
    amount_type text,
    amount numeric(18,4),
    bir_transaction_type text,
    tax_group_id bigint,
    tax_group_name text,
    invoice_label text,
    tax_scope text,
    country_id bigint,
    country_name text,
    l10n_ph_atc text,
    active boolean,
    odoo_write_date timestamp NOT NULL,
    synced_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (odoo_id)
);

CREATE INDEX account_tax_company_id_idx ON warehouse.account_tax (company_id);

SELECT warehouse.secure_tenant_table('warehouse.account_tax');
