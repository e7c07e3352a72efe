-- Pipeline `employees` (pipelines/employees.yaml): hr.employee, archived ones included.

CREATE TABLE warehouse.hr_employee (
    odoo_id bigint NOT NULL,
    company_id integer,
    name text,
    department_id bigint,
    department_name text,
    job_id bigint,
    job_name text,
    job_title text,
    parent_id bigint,
    parent_name text,
    coach_id bigint,
    coach_name text,
    work_email text,
    work_contact_id bigint,
    user_id bigint,
    user_name text,
    employee_type text,
    active boolean,
    odoo_write_date timestamp NOT NULL,
    synced_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (odoo_id)
);

CREATE TABLE analytics.dim_employee (
    odoo_id bigint NOT NULL,
    company_id integer,
    employee_name text,
    department_id bigint,
    department_name text,
    job_title text,
    manager_id bigint,
    manager_name text,
    active boolean,
    odoo_write_date timestamp NOT NULL,
    synced_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (odoo_id)
);

CREATE INDEX hr_employee_company_id_idx ON warehouse.hr_employee (company_id);
CREATE INDEX dim_employee_company_id_idx ON analytics.dim_employee (company_id);

SELECT warehouse.secure_tenant_table('warehouse.hr_employee');
SELECT warehouse.secure_tenant_table('analytics.dim_employee');
