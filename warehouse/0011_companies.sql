-- Pipeline `companies` (pipelines/companies.yaml): res.company. A company's own row carries its id
-- as company_id, so a user sees the companies they are allowed, like every other tenant row.

CREATE TABLE warehouse.res_company (
    odoo_id bigint NOT NULL,
    company_id integer,
    name text,
    parent_id bigint,
    parent_name text,
    currency_id bigint,
    currency_name text,
    partner_id bigint,
    vat text,
    company_registry text,
    email text,
    phone text,
    country_id bigint,
    country_name text,
    active boolean,
    odoo_write_date timestamp NOT NULL,
    synced_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (odoo_id)
);

CREATE TABLE analytics.dim_company (
    odoo_id bigint NOT NULL,
    company_id integer,
    company_name text,
    parent_company_id integer,
    parent_company_name text,
    currency_name text,
    tin text,
    branch_code text,
    country_name text,
    active boolean,
    odoo_write_date timestamp NOT NULL,
    synced_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (odoo_id)
);

SELECT warehouse.secure_tenant_table('warehouse.res_company');
SELECT warehouse.secure_tenant_table('analytics.dim_company');
