-- Live feed fan-out (src/modules/feeds/stream.ts): every statement that adds rows to the change
-- log notifies channel isop_feed with its transaction's id. Whoever writes — ingest, PATCH,
-- withdraw, the sweeper, anonymous publication, membership changes, on any node — the NOTIFY is
-- delivered when the transaction commits (never for one that rolls back), once per transaction
-- (PostgreSQL folds identical notifications), to every node listening on the database.
CREATE FUNCTION isop_notify_feed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM added) THEN
    PERFORM pg_notify('isop_feed', pg_current_xact_id()::text);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER indicator_changes_notify AFTER INSERT ON indicator_changes
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION isop_notify_feed();
