/**
 * CSV rendering of feed entries (contract §4, `format=csv`): pure, no I/O.
 * One row per entry, RFC 4180 quoting by csv-stringify, `\n` line ends, lists `;`-joined,
 * null and absent fields empty, booleans `true`/`false`. Tombstones fill only the columns
 * they have (id, version, status, type, value, platform, updated_at).
 */
import { stringify } from 'csv-stringify/sync';
import type { FeedEntry } from './types.js';

export const CSV_COLUMNS: string[] = [
  'id', 'version', 'status', 'type', 'value', 'platform', 'tlp', 'pap', 'confidence', 'sector',
  'categories', 'tags', 'description', 'first_seen', 'last_seen', 'valid_from', 'valid_until',
  'shared_infrastructure', 'source_org_id', 'source_name', 'disputed', 'updated_at',
];

/**
 * CSV/formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with
 * `=`, `+`, `-`, `@`, tab or CR (or their full-width forms, which some apps normalise) as a
 * formula. Such cells get a leading `'` — in every column, observables included: a partner
 * chooses the value of a payment account or a social handle (`=HYPERLINK(…)` is a valid
 * payment-account id), and consumers open this CSV in spreadsheets.
 *
 * A cell that already starts with `'` gets one more, so the guard is exactly reversible: a
 * program reading this CSV removes one leading `'` from any cell that starts with one and has
 * the value as stored (JSON, NDJSON and STIX carry values untouched).
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20']/;

function guard(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

function cells(entry: FeedEntry): Record<string, string | number | boolean | string[] | null> {
  const common = {
    id: entry.id, version: entry.version, status: entry.status, type: entry.type,
    value: entry.value, platform: entry.platform, updated_at: entry.updated_at,
  };
  if (entry.status !== 'active') return common;
  return {
    ...common,
    tlp: entry.tlp, pap: entry.pap, confidence: entry.confidence, sector: entry.sector,
    categories: entry.categories, tags: entry.tags, description: entry.description,
    first_seen: entry.first_seen, last_seen: entry.last_seen,
    valid_from: entry.valid_from, valid_until: entry.valid_until,
    shared_infrastructure: entry.shared_infrastructure,
    source_org_id: entry.source?.org_id ?? null, source_name: entry.source?.name ?? null,
    disputed: entry.disputed,
  };
}

/** Every cell as the exact string to write, so csv-stringify's own casting never applies. */
function record(entry: FeedEntry): string[] {
  const byColumn = cells(entry);
  return CSV_COLUMNS.map((column) => {
    const value = byColumn[column];
    const text = value === null || value === undefined ? ''
      : Array.isArray(value) ? value.join(';')
      : String(value);
    return guard(text);
  });
}

export function csvHeader(): string {
  return stringify([CSV_COLUMNS]);
}

/** One entry as one CSV record with its trailing `\n`, for streaming. */
export function csvRow(entry: FeedEntry): string {
  return stringify([record(entry)]);
}

export function feedEntriesToCsv(entries: FeedEntry[], opts: { header?: boolean } = {}): string {
  const body = stringify(entries.map(record));
  return opts.header === false ? body : csvHeader() + body;
}
