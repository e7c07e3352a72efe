-- Money columns become numeric without a fixed scale, as Odoo stores monetary amounts: every
-- currency keeps its own decimals. numeric(18,2) rounded a Kuwaiti dinar bill line of 1.235 to
-- 1.24. Existing values are unchanged (relaxing a numeric's scale rewrites nothing), and peso
-- amounts, which Odoo stores with 2 decimals, load as before (`2500.00`). Rows of a 3-decimal
-- currency synced before this migration keep their rounded value until Odoo changes them or
-- `odoo-etl sync --full --pipeline …` reads them again.
--
-- PostgreSQL cannot change the type of a column a view reads. Every view over these tables, ours
-- (0020) and any built on them (a Superset view in `public`, say), is saved, dropped and
-- recreated from its own definition with its options, owner, comment and grants. A materialized
-- view over them stops the migration with its name: it holds data this file will not rebuild.

CREATE TEMP TABLE money_tables ON COMMIT DROP AS
SELECT unnest(ARRAY['warehouse.hr_expense', 'analytics.fact_expense', 'warehouse.hr_expense_sheet', 'warehouse.account_move',
                    'analytics.fact_invoice', 'warehouse.account_move_line', 'analytics.fact_journal_item',
                    'scout.transactions']::regclass[]) AS oid;

-- Views reading the tables, and views reading those, each at its greatest depth.
CREATE TEMP TABLE money_views ON COMMIT DROP AS
WITH RECURSIVE dependents(oid, depth) AS (
    SELECT r.ev_class, 1
    FROM pg_depend d
    JOIN pg_rewrite r ON r.oid = d.objid
    WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
      AND d.refobjid IN (SELECT oid FROM money_tables) AND r.ev_class <> d.refobjid
    UNION
    SELECT r.ev_class, dependents.depth + 1
    FROM dependents
    JOIN pg_depend d ON d.refobjid = dependents.oid AND d.classid = 'pg_rewrite'::regclass
                    AND d.refclassid = 'pg_class'::regclass
    JOIN pg_rewrite r ON r.oid = d.objid
    WHERE r.ev_class <> dependents.oid
)
SELECT c.oid::regclass::text AS name, c.relkind, max(dependents.depth) AS depth, pg_get_viewdef(c.oid) AS definition,
       c.reloptions AS options, c.relacl AS acl, pg_get_userbyid(c.relowner) AS owner,
       obj_description(c.oid, 'pg_class') AS comment
FROM dependents
JOIN pg_class c ON c.oid = dependents.oid
GROUP BY c.oid;

DO $$
DECLARE
    materialized text;
    saved record;
BEGIN
    SELECT string_agg(name, ', ') INTO materialized FROM money_views WHERE relkind <> 'v';
    IF materialized IS NOT NULL THEN
        RAISE EXCEPTION 'materialized views read the warehouse''s money columns: %', materialized
            USING HINT = 'drop them, run odoo-etl migrate, then create them again';
    END IF;
    FOR saved IN SELECT name FROM money_views ORDER BY depth DESC LOOP
        EXECUTE format('DROP VIEW %s', saved.name);
    END LOOP;
END $$;

ALTER TABLE warehouse.hr_expense
    ALTER COLUMN total_amount_currency TYPE numeric,
    ALTER COLUMN total_amount TYPE numeric,
    ALTER COLUMN untaxed_amount_currency TYPE numeric,
    ALTER COLUMN untaxed_amount TYPE numeric,
    ALTER COLUMN tax_amount TYPE numeric,
    ALTER COLUMN amount_residual TYPE numeric;
ALTER TABLE analytics.fact_expense
    ALTER COLUMN amount TYPE numeric;
ALTER TABLE warehouse.hr_expense_sheet
    ALTER COLUMN total_amount TYPE numeric,
    ALTER COLUMN untaxed_amount TYPE numeric,
    ALTER COLUMN total_tax_amount TYPE numeric,
    ALTER COLUMN amount_residual TYPE numeric;
ALTER TABLE warehouse.account_move
    ALTER COLUMN amount_untaxed TYPE numeric,
    ALTER COLUMN amount_tax TYPE numeric,
    ALTER COLUMN amount_total TYPE numeric,
    ALTER COLUMN amount_residual TYPE numeric,
    ALTER COLUMN amount_untaxed_signed TYPE numeric,
    ALTER COLUMN amount_tax_signed TYPE numeric,
    ALTER COLUMN amount_total_signed TYPE numeric,
    ALTER COLUMN amount_residual_signed TYPE numeric;
ALTER TABLE analytics.fact_invoice
    ALTER COLUMN untaxed_amount TYPE numeric,
    ALTER COLUMN tax_amount TYPE numeric,
    ALTER COLUMN total_amount TYPE numeric,
    ALTER COLUMN residual_amount TYPE numeric,
    ALTER COLUMN total_amount_signed TYPE numeric,
    ALTER COLUMN residual_amount_signed TYPE numeric;
ALTER TABLE warehouse.account_move_line
    ALTER COLUMN debit TYPE numeric,
    ALTER COLUMN credit TYPE numeric,
    ALTER COLUMN balance TYPE numeric,
    ALTER COLUMN amount_currency TYPE numeric,
    ALTER COLUMN tax_base_amount TYPE numeric;
ALTER TABLE analytics.fact_journal_item
    ALTER COLUMN debit TYPE numeric,
    ALTER COLUMN credit TYPE numeric,
    ALTER COLUMN balance TYPE numeric;
ALTER TABLE scout.transactions
    ALTER COLUMN base_amount TYPE numeric,
    ALTER COLUMN tax_amount TYPE numeric;

DO $$
DECLARE
    saved record;
    granted record;
BEGIN
    FOR saved IN SELECT * FROM money_views ORDER BY depth LOOP
        EXECUTE format('CREATE VIEW %s %s AS %s', saved.name,
                       CASE WHEN saved.options IS NULL THEN '' ELSE format('WITH (%s)', array_to_string(saved.options, ', ')) END,
                       saved.definition);
        IF saved.owner <> current_user THEN
            EXECUTE format('ALTER VIEW %s OWNER TO %I', saved.name, saved.owner);
        END IF;
        IF saved.comment IS NOT NULL THEN
            EXECUTE format('COMMENT ON VIEW %s IS %L', saved.name, saved.comment);
        END IF;
        -- Default privileges may give the new view to roles the old one was revoked from (Supabase
        -- grants new objects to anon): take those back, then grant what the old view had.
        FOR granted IN SELECT DISTINCT a.grantee FROM pg_class c, aclexplode(c.relacl) a
                       WHERE c.oid = saved.name::regclass AND a.grantee <> c.relowner LOOP
            EXECUTE format('REVOKE ALL ON %s FROM %s', saved.name,
                           CASE granted.grantee WHEN 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(granted.grantee)) END);
        END LOOP;
        EXECUTE format('REVOKE ALL ON %s FROM PUBLIC', saved.name);
        FOR granted IN SELECT a.grantee, a.privilege_type, a.is_grantable FROM pg_class c, aclexplode(saved.acl) a
                       WHERE c.oid = saved.name::regclass AND a.grantee <> c.relowner LOOP
            EXECUTE format('GRANT %s ON %s TO %s%s', granted.privilege_type, saved.name,
                           CASE granted.grantee WHEN 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(granted.grantee)) END,
                           CASE WHEN granted.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
        END LOOP;
    END LOOP;
END $$;
