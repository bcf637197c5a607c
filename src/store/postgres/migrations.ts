/**
 * Versioned schema of the ops database. Append new versions; never edit an applied one.
 */
export const migrations: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'sync runs, published lists, price list',
    sql: `
      CREATE TABLE sync_runs (
        id bigserial PRIMARY KEY,
        store text NOT NULL,
        trigger text NOT NULL,
        status text NOT NULL CHECK (status IN ('running', 'success', 'no-change', 'failed')),
        stage text,
        stages jsonb NOT NULL DEFAULT '[]',
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        source_file text,
        source_modified timestamptz,
        content_hash text,
        bytes bigint,
        archive jsonb,
        row_count integer,
        validation jsonb,
        error text
      );
      CREATE INDEX sync_runs_store_started ON sync_runs (store, started_at DESC);

      CREATE TABLE published (
        store text PRIMARY KEY,
        run_id bigint NOT NULL REFERENCES sync_runs (id),
        content_hash text NOT NULL,
        source_file text NOT NULL,
        source_modified timestamptz,
        archive jsonb,
        row_count integer NOT NULL,
        csv_path text,
        published_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE price_rows (
        store text NOT NULL,
        kodeitem text NOT NULL,
        namaitem text NOT NULL,
        jenis text,
        merek text,
        satuan text,
        konversi numeric NOT NULL,
        barcode text,
        sistemhargajual text,
        level integer,
        jmlsampai numeric,
        hargapokok numeric,
        hargajual numeric NOT NULL,
        stok numeric
      );
      CREATE INDEX price_rows_item ON price_rows (store, kodeitem);

      CREATE TABLE price_items (
        store text NOT NULL,
        kodeitem text NOT NULL,
        namaitem text NOT NULL,
        codes text[] NOT NULL,
        PRIMARY KEY (store, kodeitem)
      );
    `,
  },
  {
    version: 2,
    name: 'chat users, strangers told to owners, migrated chats',
    sql: `
      CREATE TABLE chat_users (
        user_id bigint PRIMARY KEY,
        lang text NOT NULL DEFAULT 'id' CHECK (lang IN ('id', 'en')),
        store text,
        first_seen timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE strangers (
        user_id bigint PRIMARY KEY,
        name text,
        told_owners_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE chat_migrations (
        old_chat_id bigint PRIMARY KEY,
        new_chat_id bigint NOT NULL,
        migrated_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 3,
    name: 'backup job runs',
    sql: `
      CREATE TABLE backup_runs (
        id bigserial PRIMARY KEY,
        job text NOT NULL,
        trigger text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'running', 'success', 'failed')),
        stage text,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        file_name text,
        bytes bigint,
        sha256 text,
        destinations jsonb NOT NULL DEFAULT '[]',
        verification jsonb,
        error text
      );
      CREATE INDEX backup_runs_job_started ON backup_runs (job, started_at DESC);
    `,
  },
  {
    version: 4,
    name: 'alerts and their outbox',
    sql: `
      CREATE TABLE alerts (
        key text PRIMARY KEY,
        kind text NOT NULL,
        severity text NOT NULL CHECK (severity IN ('warning', 'critical')),
        subject text NOT NULL,
        params jsonb NOT NULL DEFAULT '{}',
        opened_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        resolved_at timestamptz,
        last_sent_at timestamptz,
        pending text CHECK (pending IN ('open', 'remind', 'resolve')),
        muted_until timestamptz
      );
      CREATE TABLE alert_outbox (
        id bigserial PRIMARY KEY,
        batch bigint NOT NULL,
        alert_key text,
        event text NOT NULL,
        channel text NOT NULL,
        recipient text NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        delivered_at timestamptz,
        gave_up_at timestamptz,
        via text,
        last_error text
      );
      CREATE INDEX alert_outbox_due ON alert_outbox (next_attempt_at) WHERE delivered_at IS NULL AND gave_up_at IS NULL;
      CREATE SEQUENCE alert_batches;
    `,
  },
  {
    version: 5,
    name: 'what a later run did about a crashed one',
    sql: 'ALTER TABLE sync_runs ADD COLUMN note text;',
  },
  {
    version: 6,
    name: 'what long chat buttons stand for',
    sql: `
      CREATE TABLE button_memory (
        id text PRIMARY KEY,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX button_memory_created ON button_memory (created_at);
    `,
  },
  // The view pins the columns it reads: a later version changing one of them drops and recreates it.
  {
    version: 7,
    name: 'backup runs record their stages; one view of the runs of every kind',
    sql: `
      ALTER TABLE backup_runs ADD COLUMN stages jsonb NOT NULL DEFAULT '[]';
      CREATE VIEW runs AS
        SELECT 'sync'::text AS kind, id, store AS subject, trigger, status, stage, stages, started_at, finished_at, error FROM sync_runs
        UNION ALL
        SELECT 'backup'::text, id, job, trigger, status, stage, stages, started_at, finished_at, error FROM backup_runs;
    `,
  },
  {
    version: 8,
    name: 'alert messages as data; what a failed backup run was about',
    // A row queued as WhatsApp-style text ("❗ *Title*\nline…") becomes the same message as data:
    // its first line, when it is an icon and a *bold* title, the severity and title; the rest its lines.
    sql: `
      ALTER TABLE alert_outbox ADD COLUMN message jsonb;
      UPDATE alert_outbox o SET message = CASE
          WHEN old.head IS NULL THEN jsonb_build_object('severity', 'info', 'lines', to_jsonb(old.lines))
          ELSE jsonb_build_object(
            'severity', CASE old.head[1] WHEN '❗' THEN 'error' WHEN '✅' THEN 'info' ELSE 'warning' END,
            'title', CASE old.head[1] WHEN '✅' THEN '✅ ' || old.head[2] ELSE old.head[2] END,
            'lines', to_jsonb(old.lines[2:]))
        END
        FROM (SELECT id, string_to_array(body, E'\\n') AS lines, regexp_match(split_part(body, E'\\n', 1), '^(?:(\\S+) )?\\*(.+)\\*$') AS head
          FROM alert_outbox) AS old
        WHERE old.id = o.id;
      ALTER TABLE alert_outbox ALTER COLUMN message SET NOT NULL, DROP COLUMN body;
      ALTER TABLE backup_runs ADD COLUMN failure jsonb;
    `,
  },
  {
    version: 9,
    name: 'web dashboard sign-in links and sessions (hashes only)',
    sql: `
      CREATE TABLE web_links (
        token_hash text PRIMARY KEY,
        user_id bigint NOT NULL,
        role text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      );
      CREATE TABLE web_sessions (
        id_hash text PRIMARY KEY,
        user_id bigint NOT NULL,
        role text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX web_links_expires ON web_links (expires_at);
      CREATE INDEX web_sessions_expires ON web_sessions (expires_at);
    `,
  },
  {
    version: 10,
    name: 'web dashboard: session details, API and kiosk tokens, audit trail',
    sql: `
      ALTER TABLE web_sessions ADD COLUMN last_seen_at timestamptz, ADD COLUMN from_addr text, ADD COLUMN agent text;
      CREATE TABLE web_tokens (
        id serial PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('api', 'kiosk')),
        token_hash text NOT NULL UNIQUE,
        name text NOT NULL,
        role text NOT NULL,
        created_by bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      );
      CREATE TABLE web_audit (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL,
        user_id bigint,
        role text NOT NULL,
        via text NOT NULL,
        action text NOT NULL,
        target text NOT NULL,
        from_addr text NOT NULL,
        outcome text NOT NULL,
        detail text NOT NULL
      );
    `,
  },
  {
    version: 11,
    name: 'indexes for the dashboard: a store\'s last failure and newest backup seen, and the runs running now, each found without reading a year of runs',
    sql: `
      CREATE INDEX sync_runs_store_failed ON sync_runs (store, started_at DESC, id DESC) WHERE status = 'failed';
      CREATE INDEX sync_runs_store_seen ON sync_runs (store, source_modified DESC, id DESC) WHERE source_modified IS NOT NULL;
      CREATE INDEX sync_runs_running ON sync_runs (started_at) WHERE status IN ('running', 'pending');
      CREATE INDEX backup_runs_job_good ON backup_runs (job, started_at DESC, id DESC) WHERE status = 'success';
      CREATE INDEX backup_runs_running ON backup_runs (started_at) WHERE status IN ('running', 'pending');
    `,
  },
  {
    version: 12,
    name: 'the newest run of a store or job and a store\'s last success, each an index-only probe in the order every query asks (started_at DESC, id DESC)',
    sql: `
      CREATE INDEX sync_runs_store_recent ON sync_runs (store, started_at DESC, id DESC);
      DROP INDEX sync_runs_store_started;
      CREATE INDEX sync_runs_store_good ON sync_runs (store, started_at DESC, id DESC) WHERE status = 'success';
      CREATE INDEX backup_runs_job_recent ON backup_runs (job, started_at DESC, id DESC);
      DROP INDEX backup_runs_job_started;
    `,
  },
  {
    version: 13,
    name: 'where each watched backup folder\'s change cursor stands (event-driven sync), so a restart continues from it',
    sql: `
      CREATE TABLE watch_cursors (
        key text PRIMARY KEY,
        cursor text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 14,
    name: 'the heartbeats of worker processes, so that a dead worker\'s jobs are taken up by the others',
    sql: `
      CREATE TABLE workers (
        id text PRIMARY KEY,
        machine text NOT NULL,
        pid integer NOT NULL,
        concurrency integer NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        beat_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 15,
    name: 'shop agents: per-store tokens (their hashes), each agent\'s latest state, and agent runs in the backup run log, once each',
    sql: `
      CREATE TABLE agent_tokens (
        id serial PRIMARY KEY,
        store text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      );
      CREATE INDEX agent_tokens_store ON agent_tokens (store, created_at DESC);
      CREATE TABLE agents (
        store text PRIMARY KEY,
        instance uuid NOT NULL,
        host text NOT NULL,
        version text NOT NULL,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        beat_at timestamptz,
        report_at timestamptz NOT NULL DEFAULT now(),
        last_seq bigint NOT NULL DEFAULT 0,
        skew_ms bigint NOT NULL DEFAULT 0,
        disk jsonb NOT NULL DEFAULT '[]',
        disk_min_free bigint NOT NULL DEFAULT 0,
        jobs jsonb NOT NULL DEFAULT '[]',
        time_zone text NOT NULL DEFAULT '',
        outbox_pending integer NOT NULL DEFAULT 0
      );
      ALTER TABLE backup_runs ADD COLUMN agent_run uuid UNIQUE, ADD COLUMN agent_seq bigint;
    `,
  },
  {
    version: 16,
    name: 'which scheduled reports were queued, so that a retried task or a second process never sends one twice',
    sql: `
      CREATE TABLE outbox_keys (
        key text PRIMARY KEY,
        batch bigint NOT NULL,
        queued_at timestamptz NOT NULL
      );
    `,
  },
  {
    version: 17,
    name: 'what each publication changed in its price list (price_change_runs, price_changes), and who asked to be told (price_change_subscribers)',
    sql: `
      CREATE TABLE price_change_runs (
        run_id bigint PRIMARY KEY REFERENCES sync_runs (id) ON DELETE CASCADE,
        store text NOT NULL,
        previous_file text,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        announced_at timestamptz
      );
      CREATE INDEX price_change_runs_unannounced ON price_change_runs (run_id) WHERE announced_at IS NULL;
      CREATE TABLE price_changes (
        run_id bigint NOT NULL REFERENCES price_change_runs (run_id) ON DELETE CASCADE,
        seq integer NOT NULL,
        kind text NOT NULL,
        kodeitem text NOT NULL,
        namaitem text NOT NULL,
        satuan text NOT NULL,
        konversi text NOT NULL,
        level text NOT NULL,
        jmlsampai text NOT NULL,
        before numeric,
        after numeric,
        cost numeric,
        flags text NOT NULL DEFAULT '',
        PRIMARY KEY (run_id, seq)
      );
      CREATE TABLE price_change_subscribers (
        user_id bigint PRIMARY KEY,
        subscribed boolean NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 18,
    name: 'Telegram file ids of item pictures already sent, so that each picture is uploaded once',
    sql: `
      CREATE TABLE picture_file_ids (
        store text NOT NULL,
        kodeitem text NOT NULL,
        hash text NOT NULL,
        file_id text NOT NULL,
        saved_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (store, kodeitem)
      );
    `,
  },
];
