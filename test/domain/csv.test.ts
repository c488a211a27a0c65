import t from 'tap';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { CSV_COLUMNS, csvHeader, csvRow, feedEntriesToCsv } from '../../src/domain/csv.js';
import type { FeedEntry, FeedItem, Tombstone } from '../../src/domain/types.js';

function item(overrides: Partial<FeedItem> = {}): FeedItem {
  return {
    id: '018f0a2b-3c4d-7e5f-8a6b-7c8d9e0f1a2b',
    version: 3,
    status: 'active',
    type: 'domain',
    value: 'pirate-stream.example',
    platform: null,
    tlp: 'AMBER+STRICT',
    pap: 'GREEN',
    grading: null,
    confidence: 80,
    sector: 'sports',
    categories: ['streaming_site', 'iptv_service'],
    tags: ['football', 'premier league'],
    description: 'Live streams of league matches',
    first_seen: '2024-04-01T00:00:00.000Z',
    last_seen: '2024-04-20T00:00:00.000Z',
    valid_from: '2024-04-25T00:00:00.000Z',
    valid_until: '2024-10-22T00:00:00.000Z',
    shared_infrastructure: ['cloudflare', 'top-sites'],
    relations: [],
    references: [],
    evidence: [],
    source: { org_id: '018e0000-0000-7000-8000-00000000000a', name: 'League Rights Ltd' },
    disputed: false,
    updated_at: '2024-04-25T10:00:00.123456Z',
    ...overrides,
  };
}

function tombstone(overrides: Partial<Tombstone> = {}): Tombstone {
  return {
    id: '018f0a2b-3c4e-7000-8000-000000000002',
    version: 4,
    status: 'withdrawn',
    type: 'social_account',
    value: 'piratestreams',
    platform: 'telegram',
    updated_at: '2024-05-01T12:00:00.000Z',
    ...overrides,
  };
}

type Row = Record<string, string>;

function parseCsv(csv: string): Row[] {
  return parse(csv, { columns: true }) as Row[];
}

const list = (cell: string) => (cell === '' ? [] : cell.split(';'));
const nullable = (cell: string) => (cell === '' ? null : cell);

/** A parsed row decoded back into typed fields, for comparison with the entry it came from. */
function readBack(row: Row): Record<string, unknown> {
  const cell = (column: string) => row[column] ?? 'MISSING';
  const common = {
    id: cell('id'), version: Number(cell('version')), status: cell('status'), type: cell('type'),
    value: cell('value'), platform: nullable(cell('platform')), updated_at: cell('updated_at'),
  };
  if (cell('status') !== 'active') {
    return { ...common, empty: CSV_COLUMNS.filter((column) => !(column in common)).map(cell).join('') };
  }
  return {
    ...common,
    tlp: cell('tlp'), pap: cell('pap'), confidence: Number(cell('confidence')), sector: nullable(cell('sector')),
    categories: list(cell('categories')), tags: list(cell('tags')), description: nullable(cell('description')),
    first_seen: nullable(cell('first_seen')), last_seen: nullable(cell('last_seen')),
    valid_from: cell('valid_from'), valid_until: cell('valid_until'),
    shared_infrastructure: list(cell('shared_infrastructure')),
    source: row.source_org_id ? { org_id: cell('source_org_id'), name: cell('source_name') } : null,
    disputed: cell('disputed') === 'true' ? true : cell('disputed') === 'false' ? false : 'MISSING',
  };
}

/** The fields of an entry the CSV carries (a tombstone's other columns must all be empty). */
function csvFields(entry: FeedEntry): Record<string, unknown> {
  const { id, version, status, type, value, platform, updated_at } = entry;
  const common = { id, version, status, type, value, platform, updated_at };
  if (entry.status !== 'active') return { ...common, empty: '' };
  const { tlp, pap, confidence, sector, categories, tags, description, first_seen, last_seen,
    valid_from, valid_until, shared_infrastructure, source, disputed } = entry;
  return { ...common, tlp, pap, confidence, sector, categories, tags, description, first_seen, last_seen,
    valid_from, valid_until, shared_infrastructure, source, disputed };
}

t.test('header lists the columns', async (t) => {
  t.equal(csvHeader(), `${CSV_COLUMNS.join(',')}\n`);
  t.same(CSV_COLUMNS.slice(0, 6), ['id', 'version', 'status', 'type', 'value', 'platform']);
});

t.test('items and tombstones read back field by field', async (t) => {
  const entries: FeedEntry[] = [
    item(),
    item({
      id: '018f0a2b-3c4f-7000-8000-000000000003',
      type: 'payment_account',
      value: 'pay, "now"@pirate.example',
      platform: 'paypal',
      sector: null,
      categories: [],
      tags: ['has, comma', 'has "quotes"', 'multi\nline'],
      description: 'Line one, with comma\nLine "two"\r\nLine three',
      first_seen: null,
      last_seen: null,
      shared_infrastructure: [],
      source: null,
      disputed: true,
    }),
    item({ source: { org_id: '018e0000-0000-7000-8000-00000000000b', name: 'Film Studio "B", Inc.' }, description: null }),
    tombstone(),
    tombstone({ status: 'expired', type: 'domain', value: 'gone.example', platform: null }),
  ];
  const rows = parseCsv(feedEntriesToCsv(entries));
  t.equal(rows.length, entries.length);
  entries.forEach((entry, index) => {
    t.same(Object.keys(rows[index] ?? {}), CSV_COLUMNS, `entry ${index}: every column, in order`);
    t.same(readBack(rows[index]!), csvFields(entry), `entry ${index} reads back field by field`);
  });
});

t.test('header can be left out; rows stream one line at a time', async (t) => {
  const entries = [item(), tombstone()];
  const body = feedEntriesToCsv(entries, { header: false });
  t.notOk(body.startsWith('id,'));
  t.equal(feedEntriesToCsv(entries), csvHeader() + body);
  t.equal(feedEntriesToCsv(entries, { header: true }), csvHeader() + body);
  t.equal(entries.map(csvRow).join(''), body, 'csvRow concatenates to the same body');
  t.ok(csvRow(item()).endsWith('\n'));
  t.equal(csvRow(item()).split('\n').length, 2, 'a simple row is one line');
  t.equal(feedEntriesToCsv([]), csvHeader(), 'no entries: just the header');
  t.equal(feedEntriesToCsv([], { header: false }), '');
});

t.test('formula injection is defused in every column, observables included', async (t) => {
  const entry = item({
    type: 'payment_account',
    value: '=HYPERLINK("http://evil.example","click")',
    platform: 'paypal',
    sector: '@sector',
    categories: ['+cat', 'normal'],
    tags: ['=HYPERLINK("http://evil.example","click")', 'x'],
    description: '-2+3',
    source: { org_id: '018e0000-0000-7000-8000-00000000000a', name: '\tTabbed Ltd' },
  });
  const [row] = parseCsv(feedEntriesToCsv([entry]));
  t.equal(row?.value, `'=HYPERLINK("http://evil.example","click")`, 'a value a partner chose is guarded too');
  t.equal(row?.tags, `'=HYPERLINK("http://evil.example","click");x`);
  t.equal(row?.categories, "'+cat;normal");
  t.equal(row?.description, "'-2+3");
  t.equal(row?.sector, "'@sector");
  t.equal(row?.source_name, "'\tTabbed Ltd");

  for (const start of ['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']) {
    const [guarded] = parseCsv(feedEntriesToCsv([item({ description: `${start}x`, platform: `${start}p`, value: `${start}v` })]));
    t.equal(guarded?.description, `'${start}x`, `description starting with ${JSON.stringify(start)}`);
    t.equal(guarded?.value, `'${start}v`, `value starting with ${JSON.stringify(start)}`);
    t.equal(guarded?.platform, `'${start}p`, `platform starting with ${JSON.stringify(start)}`);
  }
  const [tomb] = parseCsv(feedEntriesToCsv([tombstone({ value: '+447700900123' })]));
  t.equal(tomb?.value, "'+447700900123", 'tombstones are guarded the same way');
  const [harmless] = parseCsv(feedEntriesToCsv([item({ description: "a=b, 'quoted'", tags: ['x-y'], value: 'a-b@example.com' })]));
  t.equal(harmless?.description, "a=b, 'quoted'", 'only the first character counts');
  t.equal(harmless?.tags, 'x-y');
  t.equal(harmless?.value, 'a-b@example.com');
  const [quoted] = parseCsv(feedEntriesToCsv([item({ description: "'already quoted" })]));
  t.equal(quoted?.description, "''already quoted", 'a leading quote gets another, so one can always be removed');
});

/** What a program reading the CSV does: drop the one leading quote the guard added. */
const unguard = (cell: string) => (cell.startsWith("'") ? cell.slice(1) : cell);

t.test('any value and description survive the round trip, guard removed (property)', async (t) => {
  const guardable = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20']/;
  fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (value, description) => {
    const [row] = parseCsv(feedEntriesToCsv([item({ value, description })]));
    const guardedAsExpected = (cell: string, raw: string) => cell === (guardable.test(raw) ? `'${raw}` : raw);
    return guardedAsExpected(row!.value!, value) && guardedAsExpected(row!.description!, description)
      && unguard(row!.value!) === value && unguard(row!.description!) === description;
  }));
  fc.assert(fc.property(fc.constantFrom('=', '+', '-', '@', '\t', '\r', "'"), fc.string(), (start, rest) => {
    const [row] = parseCsv(feedEntriesToCsv([item({ value: start + rest })]));
    return row!.value!.startsWith("'") && !/^[=+\-@\t\r]/.test(row!.value!) && unguard(row!.value!) === start + rest;
  }));
  t.pass('generated values parsed back exactly');
});
