import t from 'tap';
import fc from 'fast-check';
import { EARLIEST_TIMESTAMP_MS, LATEST_TIMESTAMP_MS, parseTimestamp } from '../../src/domain/time.js';

t.test('accepted: RFC 3339 date-times naming a real instant in range', async (t) => {
  const cases: Array<[string, string]> = [
    ['2026-05-01T12:00:00Z', '2026-05-01T12:00:00.000Z'],
    ['2026-05-01t12:00:00z', '2026-05-01T12:00:00.000Z'],
    ['2026-05-01T14:00:00.25+02:00', '2026-05-01T12:00:00.250Z'],
    ['2026-05-01T12:00:00.123456789Z', '2026-05-01T12:00:00.123Z'],
    ['2026-05-01T12:00:00.029Z', '2026-05-01T12:00:00.029Z'],
    ['2028-02-29T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00.000Z'],
    ['1970-01-01T01:00:00+01:00', '1970-01-01T00:00:00.000Z'],
    ['2099-12-31T23:59:59.999Z', '2099-12-31T23:59:59.999Z'],
    ['2100-01-01T10:00:00+23:59', '2099-12-31T10:01:00.000Z'],
  ];
  for (const [text, iso] of cases) t.equal(new Date(parseTimestamp(text)!).toISOString(), iso, text);
});

t.test('refused: impossible calendar days and times, odd offsets, out of range, not RFC 3339', async (t) => {
  for (const text of [
    '2026-02-30T00:00:00Z', '2026-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '2026-13-01T00:00:00Z', '2026-00-10T00:00:00Z',
    '2026-01-00T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T23:60:00Z', '2026-12-31T23:59:60Z', '2026-01-01T12:00:00+24:00',
    '2026-01-01T12:00:00-14:60', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59-14:00', '1969-12-31T23:59:59.999Z',
    '1970-01-01T00:30:00+01:00', '2100-01-01T00:00:00Z', '2099-12-31T23:00:00-01:00', '0050-01-01T00:00:00Z',
    '2026-01-01', '2026-01-01T00:00:00', '2026-01-01 00:00:00Z', '2026-01-01T00:00Z', '2026-01-01T00:00:00.Z',
    '2026-01-01T00:00:00.1234567890Z', '+2026-01-01T00:00:00Z', '2026-1-01T00:00:00Z', '2026-01-01T00:00:00+0100', ' 2026-01-01T00:00:00Z', '',
  ]) t.equal(parseTimestamp(text), null, text);
});

t.test('agrees with Date for every instant in range, in any offset', async (t) => {
  fc.assert(fc.property(
    fc.integer({ min: EARLIEST_TIMESTAMP_MS + 86_400_000, max: LATEST_TIMESTAMP_MS - 86_400_001 }),
    fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
    (ms, offset) => {
      const local = new Date(ms + offset * 60_000).toISOString().slice(0, 23);
      const sign = offset < 0 ? '-' : '+';
      const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
      const mm = String(Math.abs(offset) % 60).padStart(2, '0');
      return parseTimestamp(`${local}${sign}${hh}:${mm}`) === ms;
    },
  ), { numRuns: 2000 });
  t.pass();
});
