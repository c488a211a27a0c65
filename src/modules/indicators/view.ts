/**
 * How an indicator looks to a caller, built by PostgreSQL as JSON text (one expression for
 * every read path, so reads, lists, lookups and feeds agree and no row is reshaped in JS).
 * Expects the indicator aliased `i` and its source organisation aliased `o`.
 */
import { sql, type SQL } from 'drizzle-orm';
import { currentState, effectiveStatus, receivableBy, type CallerIdentity, seesAsSource } from '../../domain/visibility.js';

const ts = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
const RECIPIENT_UPDATED_AT = ts(`(case when i.attribution = 'anonymous' then date_trunc('hour', i.updated_at, 'UTC') else i.updated_at end)`);


/**
 * The JSON of an indicator as `caller` may see it; the source and secretariat also see its handling.
 * Built as `json` straight to text: no round trip through `jsonb` (parse, merge, re-print), which
 * was 40% of the cost of a feed page. The source's view is the same object with its extra keys.
 */
export function indicatorJson(caller: CallerIdentity): SQL {
  const owner = seesAsSource(caller);
  const common = sql`'id', i.id, 'version', i.version, 'status', ${effectiveStatus()}, 'type', i.type, 'value', i.value,
    'platform', nullif(i.platform, ''), 'tlp', i.tlp, 'pap', i.pap, 'grading', i.grading,
    'confidence', i.confidence, 'sector', i.sector, 'categories', i.categories, 'tags', i.tags,
    'description', i.description, 'first_seen', ${ts('i.first_seen')}, 'last_seen', ${ts('i.last_seen')},
    'valid_from', ${ts('i.valid_from')}, 'valid_until', ${ts('i.valid_until')},
    'shared_infrastructure', i.shared_infrastructure, 'relations', i.relations, 'references', i."references",
    'evidence', i.evidence`;
  const tail = sql`'disputed', i.disputed, 'updated_at', ${ts('i.updated_at')}`;
  // Recipients of an anonymous indicator see its time of change to the hour: to the millisecond,
  // it would match the named indicators its source sent in the same batch.
  const recipientTail = sql`'disputed', i.disputed, 'updated_at', ${RECIPIENT_UPDATED_AT}`;
  if (caller.orgKind === 'secretariat') {
    return sql`json_build_object(${common}, 'source', json_build_object('org_id', o.id, 'name', o.name), ${tail},
      'audience', i.audience, 'exclude', i.exclude, 'attribution', i.attribution,
      'created_at', ${ts('i.created_at')}, 'withdrawn_reason', i.withdrawn_reason)::text`;
  }
  return sql`(case when ${owner} then json_build_object(${common},
      'source', json_build_object('org_id', o.id, 'name', o.name), ${tail},
      'audience', i.audience, 'exclude', i.exclude, 'attribution', i.attribution,
      'created_at', ${ts('i.created_at')}, 'withdrawn_reason', i.withdrawn_reason)
    else json_build_object(${common},
      'source', case when i.attribution = 'named' then json_build_object('org_id', o.id, 'name', o.name) end, ${recipientTail}) end)::text`;
}

/**
 * A feed item (the indicator is receivable now) as `caller` sees it: the same JSON as
 * `indicatorJson`, byte for byte. For a caller other than the source and the secretariat it is
 * the text stored at write time (`feed_mid`, `feed_tail`, see migrations/0011_feed_json_trigger.sql)
 * with what depends on the moment (the status) and on the source organisation (its name) spliced
 * in; the source's and the secretariat's views, with their extra keys, are built here as always.
 */
export function feedItemJson(caller: CallerIdentity): SQL {
  if (caller.orgKind === 'secretariat') return indicatorJson(caller);
  const stored = sql`('{"id" : "' || i.id::text || '", "version" : ' || i.version::text || ', "status" : "' || ${effectiveStatus()} || '", '
    || i.feed_mid || ', "source" : '
    || (case when i.attribution = 'named' then json_build_object('org_id', o.id, 'name', o.name)::text else 'null' end)
    || ', ' || i.feed_tail)`;
  return sql`(case when i.source_org_id = ${caller.orgId}::uuid then ${indicatorJson(caller)} else ${stored} end)`;
}

/**
 * A tombstone: enough for a blocklist consumer to unblock, with the TLP its recipient held the
 * value under (`tlp`: the state before the change, so a former recipient learns nothing new) and
 * its source when named.
 */
export function tombstoneJson(status: SQL, tlp: SQL): SQL {
  return sql`json_build_object('id', i.id, 'version', i.version, 'status', ${status}, 'type', i.type,
    'value', i.value, 'platform', nullif(i.platform, ''), 'tlp', ${tlp},
    'source', case when i.attribution = 'named' then json_build_object('org_id', o.id, 'name', o.name) end,
    'updated_at', ${RECIPIENT_UPDATED_AT})::text`;
}

// ---------------------------------------------------------------------------------------------
// What single reads, lists, lookups and graph nodes add to the indicator (never feed items).

/**
 * `json` (an indicator's JSON text, for the row aliased `i`) with `corroboration: { sources }` —
 * how many sources reported the same observable in reports the caller may receive, this one
 * included (what a lookup of the observable would list) — and, for the indicator's source and the
 * secretariat, `outcomes`: the outcomes reported on it, counted by action.
 */
export function withReadExtras(json: SQL, caller: CallerIdentity): SQL {
  // One report per source and observable (the natural key), so reports counted are sources.
  const sources = sql`(select count(*) from indicators c
    where c.type = i.type and c.value = i.value and c.platform = i.platform and ${receivableBy(caller, currentState('c'), { forReading: true })})`;
  const counts = sql`(select coalesce(json_object_agg(a.action, a.n order by a.action), '{}'::json)::text
    from (select oc.action, count(*) as n from outcomes oc where oc.indicator_id = i.id group by oc.action) a)`;
  const owner = seesAsSource(caller);
  return sql`(left(${json}, -1) || ',"corroboration":{"sources":' || ${sources} || '}'
    || (case when ${owner} then ',"outcomes":' || ${counts} else '' end) || '}')`;
}
