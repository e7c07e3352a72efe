-- Pipeline `partners` (pipelines/partners.yaml): res.partner. Partners shared by all companies
-- have a NULL company_id and are readable by every signed-in user.

CREATE TABLE warehouse.res_partner (
    odoo_id bigint NOT NULL,
    company_id integer,
    name text,
    is_company boolean,
    parent_id bigint,
    parent_name text,
    commercial_partner_id bigint,
    commercial_partner_name text,
    vat text,
    ref text,
    email text,
    phone text,
    street text,
    city text,
    zip text,
    country_id bigint,
    country_name text,
    customer_rank integer,
    supplier_rank integer,
    active boolean,
    odoo_write_date timestamp NOT NULL,
    synced_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (odoo_id)
);

CREATE TABLE analytics.dim_partner (
    odoo_id bigint NOT NULL,
    company_id integer,
    partner_name text,
    commercial_partner_id bigint,
    commercial_partner_name text,
    is_company boolean,
    tin text,
    branch_code text,
    city text,
    country_name text,
    active boolean,
    odoo_write_date timestamp NOT NULL,
    synced_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (odoo_id)
);

CREATE INDEX res_partner_company_id_idx ON warehouse.res_partner (company_id);
CREATE INDEX dim_partner_company_id_idx ON analytics.dim_partner (company_id);

SELECT warehouse.secure_tenant_table('warehouse.res_partner');
SELECT warehouse.secure_tenant_table('analytics.dim_partner');
