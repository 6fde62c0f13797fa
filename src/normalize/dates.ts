/**
 * Dates at the precision the source gives: "2025-12-18" and "December 18, 2025" are days,
 * "Dec 2025" and "2025-12" are months. A bare year is too coarse for the ledger and yields null.
 */

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};
const MONTH_NAME = String.raw`(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;

const pad = (n: number): string => String(n).padStart(2, '0');

function isValidDay(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

function plausibleYear(year: number): boolean {
  return year >= 1990 && year <= 2100;
}

function day(year: number, month: number, d: number): string | null {
  return plausibleYear(year) && isValidDay(year, month, d) ? `${year}-${pad(month)}-${pad(d)}` : null;
}

function month(year: number, m: number): string | null {
  return plausibleYear(year) && m >= 1 && m <= 12 ? `${year}-${pad(m)}` : null;
}

const ISO = /^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const SLASHED = /^(\d{4})\/(\d{1,2})(?:\/(\d{1,2}))?$/;
const MONTH_DAY_YEAR = new RegExp(String.raw`^${MONTH_NAME}\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$`, 'i');
const DAY_MONTH_YEAR = new RegExp(String.raw`^(\d{1,2})(?:st|nd|rd|th)?\s+${MONTH_NAME},?\s+(\d{4})$`, 'i');
// "Nov 20241": a footnote marker glued to the year, as docs tables print it.
const MONTH_YEAR = new RegExp(String.raw`^${MONTH_NAME},?\s+(\d{4})\d?$`, 'i');

function monthNumber(name: string): number {
  return MONTHS[name.toLowerCase().slice(0, name.toLowerCase().startsWith('sept') ? 4 : 3)];
}

/** An ISO date ("YYYY-MM-DD" or "YYYY-MM") for a date as printed, or null when it is none. */
export function parseDate(text: string | null | undefined): string | null {
  if (text == null) return null;
  const t = text.trim().replace(/^\*+|\*+$/g, '').trim();
  let m = t.match(ISO);
  if (m) return m[3] ? day(+m[1], +m[2], +m[3]) : month(+m[1], +m[2]);
  m = t.match(SLASHED);
  if (m) return m[3] ? day(+m[1], +m[2], +m[3]) : month(+m[1], +m[2]);
  m = t.match(MONTH_DAY_YEAR);
  if (m) return day(+m[3], monthNumber(m[1]), +m[2]);
  m = t.match(DAY_MONTH_YEAR);
  if (m) return day(+m[3], monthNumber(m[2]), +m[1]);
  m = t.match(MONTH_YEAR);
  if (m) return month(+m[2], monthNumber(m[1]));
  return null;
}

/** The first date found inside a longer text ("released on December 18, 2025."). */
export function findDate(text: string): string | null {
  const patterns = [
    /\b\d{4}-\d{2}-\d{2}\b/,
    new RegExp(String.raw`\b${MONTH_NAME}\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b`, 'i'),
    new RegExp(String.raw`\b\d{1,2}(?:st|nd|rd|th)?\s+${MONTH_NAME},?\s+\d{4}\b`, 'i'),
    new RegExp(String.raw`\b${MONTH_NAME},?\s+\d{4}\b`, 'i'),
    /\b\d{4}-\d{2}\b/,
  ];
  for (const p of patterns) {
    const m = text.match(p);
    if (m) {
      const parsed = parseDate(m[0]);
      if (parsed) return parsed;
    }
  }
  return null;
}

/** An ISO timestamp with its zone: `Z` or an offset. Without one, JavaScript reads it in the machine's zone. */
const ZONED_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/**
 * Checks a point in time given by a user (`--at`): a calendar date (YYYY-MM-DD) or an ISO
 * timestamp with its zone. Anything else is refused rather than quietly read as "now", as a day
 * that does not exist rolled over into the next month, or in whatever zone the machine is set to
 * (a cron job's answer would then depend on where it runs).
 */
export function parsePointInTime(at: string): string {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(at);
  if (date) {
    if (isCalendarDate(at)) return at;
  } else {
    const stamp = ZONED_TIMESTAMP.exec(at);
    if (stamp && isCalendarDate(stamp[1]) && !Number.isNaN(new Date(at).getTime())) return new Date(at).toISOString();
    if (!stamp && /^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(at)) {
      throw new RangeError(`"${at}" names no time zone: add Z for UTC (${at}Z) or an offset such as +02:00`);
    }
  }
  throw new RangeError(`not a date: "${at}" (use YYYY-MM-DD or an ISO timestamp with its zone)`);
}

function isCalendarDate(day: string): boolean {
  const d = new Date(`${day}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(day);
}

/** "2026-07-18" means the whole of that day; a full timestamp means itself. */
export function endOfDay(at: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(at) ? `${at}T23:59:59.999Z` : at;
}
