import { constants } from 'node:buffer';
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractFile } from '../../src/app/files.ts';
import { readInputPage, readInputText } from '../../src/app/input-file.ts';
import { MAX_PAGE_BYTES } from '../../src/fetch/options.ts';
import { reconcileClaimsFile } from '../../src/app/claims-file.ts';

const PAGE = readFileSync(new URL('../fixtures/fetch/pricing-table.html', import.meta.url), 'utf8');

/** A saved page or claims file is decoded as a fetched page is, not read as UTF-8 whatever it holds. */
describe('pages and claims files the user names', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ml-input-page-'));
  const saved = (name: string, bytes: Buffer) => {
    writeFileSync(join(dir, name), bytes);
    return join(dir, name);
  };

  it('reads a page saved as UTF-16 to the same claims as its UTF-8 original', () => {
    const utf8 = extractFile(saved('page.html', Buffer.from(PAGE)));
    const utf16 = extractFile(saved('page-utf16.html', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(PAGE, 'utf16le')])));
    expect(utf8.claims.length).toBeGreaterThan(0);
    expect(utf16.claims).toEqual(utf8.claims);
  });

  it('reads undeclared bytes that are not UTF-8 as windows-1252, and JSON always as UTF-8', () => {
    // "Prix — 1,75 €" in windows-1252: the dash is 0x97, the euro sign 0x80; neither is valid UTF-8.
    const cp1252 = Buffer.from([...Buffer.from('<p>Prix '), 0x97, ...Buffer.from(' 1,75 '), 0x80, ...Buffer.from('</p>')]);
    const file = saved('legacy.html', cp1252);
    expect(readInputText(file, null)).toBe('<p>Prix — 1,75 €</p>');
    expect(readInputText(file, 'markdown')).toBe('<p>Prix — 1,75 €</p>');
    expect(readInputText(file, 'json')).toBe('<p>Prix \uFFFD 1,75 \uFFFD</p>');
    expect(readInputText(saved('plain.html', Buffer.from('<p>Prix — 1,75 €</p>')), 'html')).toBe('<p>Prix — 1,75 €</p>');
  });

  it('reads a claims file from a spreadsheet, saved as UTF-16 or windows-1252, to the values of its UTF-8 original', () => {
    const csv = 'source,entity,field,value\nvendor,Modèle A,price,1.5 €\nagg,Modèle A,price,1.5 €\nagg,Modèle B,price,2 €\n';
    const chosen = (bytes: Buffer, name: string) => reconcileClaimsFile(saved(name, bytes)).chosen.map((c) => [c.entity, c.value]);
    const utf8 = chosen(Buffer.from(csv), 'claims.csv');
    expect(utf8).toEqual([['Modèle A', '1.5 €'], ['Modèle B', '2 €']]);
    expect(chosen(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]), 'claims-utf16.csv')).toEqual(utf8);
    const cp1252 = Buffer.from(csv.replaceAll('€', '\u0080'), 'latin1'); // è is 0xE8 in both; € is 0x80 in windows-1252
    expect(chosen(cp1252, 'claims-1252.csv')).toEqual(utf8);
  });

  it('refuses a page larger than a fetch reads, before reading it', () => {
    const page = saved('huge.html', Buffer.alloc(MAX_PAGE_BYTES + 1, 0x20));
    expect(() => readInputPage(page, 'html')).toThrow(/huge\.html is 10\.0 MB, more than the 10 MB a page may be/);
    expect(readInputPage(saved('edge.html', Buffer.alloc(MAX_PAGE_BYTES, 0x20)), 'html')).toHaveLength(MAX_PAGE_BYTES);
  });

  it('refuses a file longer than one text can hold, before reading it', () => {
    // Sparse: the file has its size without its bytes. Decoding one this long aborted Node itself.
    const file = saved('claims.csv', Buffer.alloc(0));
    truncateSync(file, constants.MAX_STRING_LENGTH + 1);
    expect(() => readInputText(file, 'text')).toThrow(/claims\.csv is 512\.0 MB, more than the 511 MB one text can hold/);
  });
});
