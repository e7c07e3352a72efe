-- The engine's own bookkeeping: checkpoints, run log, backfill progress.
-- (etl.schema_migrations is created by the migration runner itself, before any file is applied.)

CREATE SCHEMA IF NOT EXISTS etl;

-- One checkpoint per pipeline and company (company_id NULL for global pipelines).
-- (cursor_write_date, cursor_id): every record before second cursor_write_date is loaded, and those
-- of that second with id <= cursor_id. Advanced in the same transaction as the rows it covers.
CREATE TABLE etl.sync_state (
    pipeline          text        NOT NULL,
    company_id        integer,
    cursor_write_date timestamp   NOT NULL,
    cursor_id         bigint      NOT NULL,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    last_run_id       bigint,
    CONSTRAINT sync_state_unit UNIQUE NULLS NOT DISTINCT (pipeline, company_id)
);

CREATE TABLE etl.sync_runs (
    run_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pipeline        text        NOT NULL,
    company_id      integer,
    kind            text        NOT NULL CHECK (kind IN ('sync', 'backfill', 'reconcile')),
    started_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    status          text        NOT NULL DEFAULT 'running'
                    CHECK (status IN ('running', 'ok', 'failed', 'skipped', 'interrupted', 'busy')),
    rows_inserted   bigint      NOT NULL DEFAULT 0,
    rows_updated    bigint      NOT NULL DEFAULT 0,
    rows_upserted   bigint GENERATED ALWAYS AS (rows_inserted + rows_updated) STORED,
    rows_unchanged  bigint      NOT NULL DEFAULT 0,
    rows_deleted    bigint      NOT NULL DEFAULT 0,
    batches         integer     NOT NULL DEFAULT 0,
    error           text,
    odoo_version    text
);
CREATE INDEX sync_runs_unit ON etl.sync_runs (pipeline, company_id, started_at DESC);

-- A backfill's own cursor, so an interrupted backfill resumes without touching sync_state.
CREATE TABLE etl.backfill_progress (
    pipeline          text        NOT NULL,
    company_id        integer     NOT NULL,
    window_since      date,
    window_until      date,
    cursor_write_date timestamp   NOT NULL,
    cursor_id         bigint      NOT NULL,
    completed_at      timestamptz,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    last_run_id       bigint,
    CONSTRAINT backfill_progress_unit UNIQUE NULLS NOT DISTINCT (pipeline, company_id, window_since, window_until)
);
