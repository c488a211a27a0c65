-- Feed items as stored text (src/modules/indicators/view.ts, feedItemJson): on every insert and
-- update of an indicator — ingest, PATCH, withdrawal, the sweeper, outcomes' disputes, retention's
-- purge, COPY — the JSON a recipient other than its source sees is rebuilt here, in two parts:
-- feed_mid ("type" … "evidence") and feed_tail ("disputed", "updated_at", closing brace). The
-- parts around them depend on the moment (the status: expiry is a matter of now()) or on another
-- table (the source's organisation name) and are spliced in at read time. The keys, values and
-- bytes are those of indicatorJson's recipient branch (json_build_object's own separators).
CREATE FUNCTION isop_indicator_feed_json() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  mid text;
  tail text;
BEGIN
  mid := json_build_object('type', NEW.type, 'value', NEW.value,
    'platform', nullif(NEW.platform, ''), 'tlp', NEW.tlp, 'pap', NEW.pap, 'grading', NEW.grading,
    'confidence', NEW.confidence, 'sector', NEW.sector, 'categories', NEW.categories, 'tags', NEW.tags,
    'description', NEW.description,
    'first_seen', to_char(NEW.first_seen at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'last_seen', to_char(NEW.last_seen at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'valid_from', to_char(NEW.valid_from at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'valid_until', to_char(NEW.valid_until at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'shared_infrastructure', NEW.shared_infrastructure, 'relations', NEW.relations, 'references', NEW."references",
    'evidence', NEW.evidence)::text;
  tail := json_build_object('disputed', NEW.disputed,
    'updated_at', to_char((case when NEW.attribution = 'anonymous' then date_trunc('hour', NEW.updated_at, 'UTC') else NEW.updated_at end)
      at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text;
  NEW.feed_mid := substr(mid, 2, length(mid) - 2);
  NEW.feed_tail := substr(tail, 2);
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER indicators_feed_json BEFORE INSERT OR UPDATE ON indicators
  FOR EACH ROW EXECUTE FUNCTION isop_indicator_feed_json();
--> statement-breakpoint
UPDATE indicators SET feed_mid = NULL;
