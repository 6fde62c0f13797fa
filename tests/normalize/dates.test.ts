import { describe, expect, it } from 'vitest';
import { findDate, parseDate, parsePointInTime } from '../../src/normalize/dates.ts';

describe('parseDate', () => {
  it.each([
    ['2025-12-18', '2025-12-18'],
    ['2025-12', '2025-12'],
    ['December 18, 2025', '2025-12-18'],
    ['Dec 18 2025', '2025-12-18'],
    ['18 December 2025', '2025-12-18'],
    ['Dec 2025', '2025-12'],
    ['July 2024', '2024-07'],
    ['Sept 2024', '2024-09'],
    ['2026-02-16T00:00:00Z', '2026-02-16'],
    ['Nov 20241', '2024-11'],
  ])('%s -> %s', (text, expected) => {
    expect(parseDate(text)).toBe(expected);
  });

  it.each(['2025', '—', 'soon', '2025-13', '2025-02-30', 'Smarch 2025'])('%s is no date', (text) => {
    expect(parseDate(text)).toBeNull();
  });

  it('finds a date inside prose', () => {
    expect(findDate('It was released on December 18, 2025 to everyone.')).toBe('2025-12-18');
    expect(findDate('trained on data up to Mar 2025')).toBe('2025-03');
    expect(findDate('no date here')).toBeNull();
  });
});

describe('a point in time a user gives (--at, --observed-at)', () => {
  it('takes a calendar date, or a timestamp with its zone, as the same instant on any machine', () => {
    expect(parsePointInTime('2026-07-18')).toBe('2026-07-18');
    expect(parsePointInTime('2026-07-01T23:00:00Z')).toBe('2026-07-01T23:00:00.000Z');
    expect(parsePointInTime('2026-07-01T23:00:00+02:00')).toBe('2026-07-01T21:00:00.000Z');
    expect(parsePointInTime('2026-07-01T23:00Z')).toBe('2026-07-01T23:00:00.000Z');
  });

  it('refuses a timestamp without a zone (read in the machine\'s zone otherwise), a day that does not exist, and nothing at all', () => {
    expect(() => parsePointInTime('2026-07-01T23:00:00')).toThrow(/names no time zone: add Z for UTC \(2026-07-01T23:00:00Z\)/);
    expect(() => parsePointInTime('2026-02-30T00:00:00Z')).toThrow(/not a date/);
    expect(() => parsePointInTime('2026-02-30')).toThrow(/not a date/);
    expect(() => parsePointInTime('')).toThrow(/not a date: ""/);
    expect(() => parsePointInTime('yesterday')).toThrow(/not a date/);
  });
});
