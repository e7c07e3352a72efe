-- Schemas of the synced data, Supabase's API roles, and the row-level security every tenant table
-- uses. Each later migration creates its tables and calls warehouse.secure_tenant_table on them.
-- Runs on Supabase and on plain PostgreSQL 15 alike.

CREATE SCHEMA IF NOT EXISTS warehouse;
CREATE SCHEMA IF NOT EXISTS analytics;
CREATE SCHEMA IF NOT EXISTS scout;

-- Supabase has these roles; plain PostgreSQL (tests, self-hosting) gets them without login.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon') THEN
        CREATE ROLE anon NOLOGIN NOINHERIT;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN
        CREATE ROLE authenticated NOLOGIN NOINHERIT;
    END IF;
END
$$;

GRANT USAGE ON SCHEMA warehouse, analytics, scout TO authenticated;

-- The companies the caller may see: the integers of app_metadata.company_ids in the JWT claims
-- PostgREST puts in request.jwt.claims. Anything else (no claims, no such key, not a list, non-integer
-- entries) grants nothing.
CREATE FUNCTION warehouse.claimed_company_ids() RETURNS integer[]
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    WITH claim AS (
        SELECT nullif(current_setting('request.jwt.claims', true), '')::jsonb -> 'app_metadata' -> 'company_ids' AS ids
    )
    SELECT coalesce(array_agg(element::integer), '{}'::integer[])
    FROM claim,
         jsonb_array_elements_text(CASE WHEN jsonb_typeof(claim.ids) = 'array' THEN claim.ids ELSE '[]'::jsonb END)
             AS element
    WHERE element ~ '^[0-9]{1,9}$'
$$;

-- Whether the caller presented JWT claims at all: shared rows (NULL company) are for signed-in users.
CREATE FUNCTION warehouse.has_jwt_claims() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT nullif(current_setting('request.jwt.claims', true), '') IS NOT NULL
$$;

-- Row-level security for a table with a company_id column: authenticated callers read the rows of
-- their claimed companies and the shared rows; anon reads nothing. The table owner (the loader)
-- is not subject to the policy, since it is not forced.
CREATE FUNCTION warehouse.secure_tenant_table(target regclass) RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
    -- The scalar subqueries make PostgreSQL evaluate the claims once per query, not once per row.
    EXECUTE format(
        'CREATE POLICY tenant_read ON %s FOR SELECT TO authenticated USING ('
        || 'company_id = ANY ((SELECT warehouse.claimed_company_ids())::integer[]) '
        || 'OR (company_id IS NULL AND (SELECT warehouse.has_jwt_claims())))', target);
    EXECUTE format('REVOKE ALL ON %s FROM PUBLIC, anon, authenticated', target);
    EXECUTE format('GRANT SELECT ON %s TO authenticated', target);
END
$$;

REVOKE ALL ON FUNCTION warehouse.secure_tenant_table(regclass) FROM PUBLIC;
