-- Money columns become numeric without a fixed scale, as Odoo stores monetary amounts: every
-- currency keeps its own decimals. numeric(18,2) rounded a Kuwaiti dinar bill line of 1.235 to
-- 1.24. Existing values are unchanged (relaxing a numeric's scale rewrites nothing); the loader
-- writes PHP amounts as before (`2500.00`) and 3-decimal currencies exactly (`1.235`).
--
-- PostgreSQL cannot change the type of a column a view reads, so the views over these columns
-- are saved, dropped and recreated from their own definitions with their options and grants.

CREATE TEMP TABLE money_views ON COMMIT DROP AS
SELECT c.oid::regclass::text AS name, pg_get_viewdef(c.oid) AS definition, c.reloptions AS options, c.relacl AS acl
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'v'
  AND (n.nspname, c.relname) IN (('analytics', 'expense_monthly'), ('analytics', 'invoice_aging'),
                                 ('scout', 'vat_transactions'), ('scout', 'withholding_by_payee_quarter'));

DO $$
DECLARE
    saved record;
BEGIN
    FOR saved IN SELECT name FROM money_views LOOP
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
    FOR saved IN SELECT * FROM money_views LOOP
        EXECUTE format('CREATE VIEW %s %s AS %s', saved.name,
                       CASE WHEN saved.options IS NULL THEN '' ELSE format('WITH (%s)', array_to_string(saved.options, ', ')) END,
                       saved.definition);
        -- Default privileges may give the new view to roles the old one was revoked from (Supabase
        -- grants new objects to anon): take those back, then grant what the old view had.
        FOR granted IN SELECT DISTINCT a.grantee FROM pg_class c, aclexplode(c.relacl) a
                       WHERE c.oid = saved.name::regclass AND a.grantee <> c.relowner LOOP
            EXECUTE format('REVOKE ALL ON %s FROM %s', saved.name,
                           CASE granted.grantee WHEN 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(granted.grantee)) END);
        END LOOP;
        EXECUTE format('REVOKE ALL ON %s FROM PUBLIC', saved.name);
        FOR granted IN SELECT a.grantee, a.privilege_type FROM pg_class c, aclexplode(saved.acl) a
                       WHERE c.oid = saved.name::regclass AND a.grantee <> c.relowner LOOP
            EXECUTE format('GRANT %s ON %s TO %s', granted.privilege_type, saved.name,
                           CASE granted.grantee WHEN 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(granted.grantee)) END);
        END LOOP;
    END LOOP;
END $$;
