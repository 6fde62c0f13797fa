import { describe, expect, it } from 'vitest';
import {
  boundsAnomaly,
  cleanNumber,
  exactTokenFigures,
  isNoValue,
  parseBoolean,
  parseCount,
  parseLicense,
  parsePrice,
  parseTokenCount,
  perTokenToPerMillion,
} from '../../src/normalize/units.ts';

describe('parsePrice', () => {
  it.each([
    ['$1.75/1M tokens', 1.75],
    ['$14.00/1M', 14],
    ['$2.50 / MTok', 2.5],
    ['$0.80 / MTok', 0.8],
    ['$1.6 per million output tokens', 1.6],
    ['$0.0025 per 1K tokens', 2.5],
    ['$0.002 / 1K', 2],
    ['$0.00000175 per token', 1.75],
    ['15¢ per 1M tokens', 0.15],
    ['US$ 3', 3],
    ['$1,200 / 1M', 1200],
  ])('%s -> %d per 1M', (text, expected) => {
    expect(parsePrice(text)).toBe(expected);
  });

  it('applies the page basis when the cell states none', () => {
    expect(parsePrice('$0.028')).toBe(0.028);
    expect(parsePrice('0.00000175', 'per_token')).toBe(1.75);
    expect(parsePrice('$0.5', 'per_1k')).toBe(500);
  });

  it('prefers the dollar amount over other numbers in the cell', () => {
    expect(parsePrice('up to 200k tokens: $1.25')).toBe(1.25);
  });

  it.each(['—', '-', 'N/A', 'undisclosed', 'not-yet-sourced', '', 'Free'])('%s is no price', (text) => {
    expect(parsePrice(text)).toBeNull();
  });
});

describe('price text that names no single USD price per token', () => {
  it.each([
    ['€1.8', 'another currency'], ['0.2 €', ''], ['EUR 0.3', ''], ['¥2', ''], ['CNY 4', ''], ['£3', ''], ['A$3.00', ''], ['HK$ 5', ''],
    ['50% off', 'a share'], ['$15 (promo: 20% off)', ''],
    ['$0.40 - 0.80', 'a range'], ['$0.50 - $1.00', ''], ['$0.40–$0.80', ''], ['0.4 to 0.8', ''],
    ['Starting at $0.80', 'a floor or a cap'], ['from $0.50', ''], ['up to $2', ''],
    ['$0.006 / minute', 'another unit'], ['$15.00 / 1M characters', ''], ['$0.04 / image', ''], ['$0.02 / 1M requests', ''], ['$25.00 / 1K calls', ''], ['$10 per 1,000 searches', ''],
  ])('%s is no price (%s)', (text) => {
    expect(parsePrice(text)).toBeNull();
  });

  it('reads a modality aside and a tier note as no unit', () => {
    expect(parsePrice('$0.30 (text / image / video)')).toBe(0.3);
    expect(parsePrice('up to 200k tokens: $1.25')).toBe(1.25);
  });

  it('reads nothing under a basis in cents or per character, which a figure alone cannot carry', async () => {
    const { statedPriceBasis } = await import('../../src/normalize/units.ts');
    expect(statedPriceBasis('Pricing in cents per 1M tokens')).toBe('unread');
    expect(statedPriceBasis('Prices per 1,000 characters')).toBe('unread');
    expect(statedPriceBasis('Prices per 1K tokens')).toBe('per_1k');
    expect(parsePrice('$0.000125', 'unread')).toBeNull();
    expect(parsePrice(0.5, 'unread')).toBeNull();
    // A cell that states its own token basis is read whatever the table says.
    expect(parsePrice('$1.25 / 1M tokens', 'unread')).toBe(1.25);
  });
});

describe('parameter counts of mixtures of experts and file sizes', () => {
  it('reads a total beside an active count, and no count from experts times size, a file size or an active count alone', () => {
    expect(parseCount('37B active / 671B total')).toBe(671_000_000_000);
    expect(parseCount('3B active (30B total)')).toBe(30_000_000_000);
    expect(parseCount('total: 671B (37B active)')).toBe(671_000_000_000);
    for (const text of ['8x7B', '16 GB', '14.5GB', '3B active']) expect(parseCount(text), text).toBeNull();
    expect(parseCount('7B')).toBe(7_000_000_000);
  });
});

describe('perTokenToPerMillion', () => {
  it('gives clean figures', () => {
    expect(perTokenToPerMillion('0.00000175')).toBe(1.75);
    expect(perTokenToPerMillion(1.25e-7)).toBe(0.125);
    expect(perTokenToPerMillion('0.0000225')).toBe(22.5);
    expect(perTokenToPerMillion(2.8e-8)).toBe(0.028);
    expect(perTokenToPerMillion('abc')).toBeNull();
  });
  it('cleanNumber removes binary noise only', () => {
    expect(cleanNumber(1.7500000000000002)).toBe(1.75);
    expect(cleanNumber(0.1 + 0.2)).toBe(0.3);
    expect(cleanNumber(0.0625)).toBe(0.0625);
    expect(cleanNumber(1047576)).toBe(1047576);
  });
});

describe('parseTokenCount', () => {
  it.each([
    ['128k', 128000],
    ['1048K', 1048000],
    ['1,047,576', 1047576],
    ['400,000 tokens', 400000],
    ['1M', 1000000],
    ['1.5M', 1500000],
    ['32000 tokens', 32000],
    ['200K', 200000],
  ])('%s -> %d', (text, expected) => {
    expect(parseTokenCount(text)).toBe(expected);
  });

  it('keeps the exact figure a page prints elsewhere for an abbreviation that rounds to it', () => {
    const exact = exactTokenFigures('It accepts 262,144 tokens. Another page says 1,047,576 tokens.');
    expect(exact).toEqual(expect.arrayContaining([262144, 1047576]));
    expect(parseTokenCount('262k', exact)).toBe(262144);
    expect(parseTokenCount('1048K', exact)).toBe(1047576);
    // A one-digit abbreviation is another model's own figure, not the exact one printed for another.
    expect(parseTokenCount('1M', exact)).toBe(1_000_000);
    expect(parseTokenCount('1.05M', exact)).toBe(1047576);
    expect(parseTokenCount('128k', exact)).toBe(128000);
  });

  it('does not take ids, years or dollar amounts for exact token figures', () => {
    expect(exactTokenFigures('token id 200006, model 20250514, cost $4,500, in 2025')).toEqual([]);
    expect(parseTokenCount('200k', exactTokenFigures('token id 200006'))).toBe(200000);
  });

  it.each(['—', 'N/A', 'undisclosed', 'not-yet-sourced'])('%s is no count', (text) => {
    expect(parseTokenCount(text)).toBeNull();
  });
});

describe('parseCount', () => {
  it.each([
    ['4B', 4e9],
    ['2.8T', 2.8e12],
    ['20.9B', 20_900_000_000],
    ['117 billion', 117e9],
    ['21,000,000,000', 21e9],
  ])('%s -> %d', (text, expected) => {
    expect(parseCount(text)).toBe(expected);
  });
  it('treats dashes as no value', () => expect(parseCount('—')).toBeNull());
});

describe('parseBoolean and parseLicense', () => {
  it('reads yes/no marks', () => {
    for (const t of ['Yes', 'yes', '✓', '✔', 'true', 'Supported']) expect(parseBoolean(t)).toBe(true);
    for (const t of ['No', '✗', '✘', 'false', 'Not supported']) expect(parseBoolean(t)).toBe(false);
    for (const t of ['—', 'maybe', '']) expect(parseBoolean(t)).toBeNull();
  });
  it('gives licenses one spelling', () => {
    expect(parseLicense('Apache 2.0(OSI)')).toBe('apache-2.0');
    expect(parseLicense('apache-2.0')).toBe('apache-2.0');
    expect(parseLicense('Proprietary')).toBe('proprietary');
    expect(parseLicense('-')).toBeNull();
  });
  it('isNoValue knows the placeholders', () => {
    for (const t of ['—', '–', '-', 'N/A', 'n/a', 'undisclosed', 'not-yet-sourced', 'Not yet sourced', '  ']) expect(isNoValue(t)).toBe(true);
    expect(isNoValue('0')).toBe(false);
  });
});

describe('boundsAnomaly', () => {
  it('flags implausible figures and passes plausible ones', () => {
    expect(boundsAnomaly('input_price', 0)).toMatch(/below/);
    expect(boundsAnomaly('input_price', 2500)).toMatch(/above/);
    expect(boundsAnomaly('context_window', 12)).toMatch(/below/);
    expect(boundsAnomaly('input_price', 1.75)).toBeUndefined();
    expect(boundsAnomaly('context_window', 400000)).toBeUndefined();
    expect(boundsAnomaly('license', 'mit')).toBeUndefined();
  });
});

describe('a price in scientific notation', () => {
  it('keeps its exponent', () => {
    expect(parsePrice('$2.5e-1')).toBe(0.25);
    expect(parsePrice('$1e1 / 1M tokens')).toBe(10);
    expect(parsePrice('$0.50 each')).toBe(0.5);
  });
});

describe('a minus sign before a figure', () => {
  // No price or size is negative: "-$2.00" read without its sign would pass for a real $2.00.
  it('yields no figure rather than the figure without its sign', () => {
    for (const text of ['-$1.75', '$-0.175', '\u2212$14.00', '\u2013 $2', 'USD -3', '- 0.5 / 1M tokens']) expect(parsePrice(text), text).toBeNull();
    for (const text of ['-128K', '\u2212 8,192 tokens']) expect(parseTokenCount(text), text).toBeNull();
    expect(parseCount('-7B')).toBeNull();
  });

  it('still reads dashes for no value and positive figures', () => {
    expect(parsePrice('$1.75')).toBe(1.75);
    expect(parseTokenCount('128K')).toBe(128_000);
    expect(parsePrice('-')).toBeNull();
  });
});

describe('a comma that groups no thousands', () => {
  // "$1,60" is a decimal comma (1.60) or a typo; its leading digit read as 1, or the digits as 160, would be wrong.
  it('yields no figure rather than one its leading digits spell', () => {
    for (const text of ['$1,60', '1,60 €', '$ 1,60 / 1M tokens', '$12,34,567', '2,5 cents']) expect(parsePrice(text), text).toBeNull();
    for (const text of ['1,60', '12,34,567 tokens', '128,0k']) expect(parseTokenCount(text), text).toBeNull();
    expect(parseCount('7,5B')).toBeNull();
  });

  it('still reads thousands groups', () => {
    expect(parsePrice('$1,600')).toBe(1600);
    expect(parsePrice('$2,000.50 / 1M tokens')).toBe(2000.5);
    expect(parseTokenCount('1,047,576')).toBe(1_047_576);
    expect(parseTokenCount('8,192 tokens')).toBe(8192);
    expect(parseCount('21,000,000,000')).toBe(21_000_000_000);
  });
});
