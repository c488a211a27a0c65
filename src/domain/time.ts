/**
 * The timestamps the service accepts: RFC 3339 date-times (`2026-05-01T12:00:00Z`,
 * `2026-05-01T14:00:00.250+02:00`) that name a real instant — a day the month has, hours 00–23,
 * seconds 00–59 (no leap second), an offset within ±23:59 — between 1970-01-01 and 2100-01-01
 * (UTC, the end excluded). Anything else is refused where it is submitted, so the database never
 * sees a value it cannot store and no reader gets a date it cannot parse back.
 */

export const EARLIEST_TIMESTAMP_MS = Date.UTC(1970, 0, 1);
/** Exclusive. */
export const LATEST_TIMESTAMP_MS = Date.UTC(2100, 0, 1);

export const TIMESTAMP_RULE = 'an RFC 3339 date-time such as 2026-05-01T12:00:00Z, from 1970-01-01 to before 2100-01-01 (UTC)';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Epoch milliseconds of an accepted timestamp (fractions below a millisecond dropped); null otherwise. */
export function parseTimestamp(text: string): number | null {
  const m = RFC3339.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  // Years far outside the range are refused before Date.UTC, which reads 0–99 as 1900–1999.
  if (year < 1969 || year > 2100 || month < 1 || month > 12) return null;
  const days = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  if (day < 1 || day > days || hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (m[8]) {
    const offsetHours = Number(m[9]), offsetMins = Number(m[10]);
    if (offsetHours > 23 || offsetMins > 59) return null;
    offsetMinutes = (m[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const millis = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  return ms >= EARLIEST_TIMESTAMP_MS && ms < LATEST_TIMESTAMP_MS ? ms : null;
}

export const isTimestamp = (text: string): boolean => parseTimestamp(text) !== null;
