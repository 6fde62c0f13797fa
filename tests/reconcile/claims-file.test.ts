import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseClaimsFile, parseDelimited } from '../../src/reconcile/claims-file.ts';
import { reconcileClaimsFile } from '../../src/app/claims-file.ts';
import { formatReconciled, reconciledChunks, type ReconcileOutputOptions } from '../../src/review/format.ts';

/** What `model-ledger reconcile --claims FILE` prints. */
const runReconcileCommand = (file: string, opts: ReconcileOutputOptions = {}): string => formatReconciled(reconcileClaimsFile(file), opts);
import { reconcileRecords } from '../../src/reconcile/records.ts';
import { prng } from '../../bench/reconcile.ts';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/reconcile');
const sample = path.join(fixtures, 'flights-sample.csv');

describe('parseDelimited', () => {
  it('reads plain lines and quoted records alike when they alternate, with CRLF, lone CR and a quoted newline', () => {
    const text = 'a,b,c\r\n1,2,3\n"x, y","multi\nline",z\r4,5,6\n"q""uote",7,8\n\n9,10,11';
    expect(parseDelimited(text)).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
      ['x, y', 'multi\nline', 'z'],
      ['4', '5', '6'],
      ['q"uote', '7', '8'],
      ['9', '10', '11'],
    ]);
  });

  it('reads quoted cells, doubled quotes and CRLF line ends', () => {
    expect(parseDelimited('a,b\r\n"x, y","say ""hi"""\r\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
    ]);
  });

  it('reads TSV when the header has tabs, and keeps a last line without a newline', () => {
    expect(parseDelimited('a\tb\n1,5\t2')).toEqual([
      ['a', 'b'],
      ['1,5', '2'],
    ]);
  });

  it('reads random texts of quotes, delimiters and line ends as a character-at-a-time reader does', () => {
    /** RFC 4180 as the reader states it, one character at a time: the oracle for the fast paths. */
    const reference = (text: string): string[][] => {
      const sep = (text.split(/\r\n?|\n/).find((l) => l.trim() !== '') ?? '').includes('\t') ? '\t' : ',';
      const rows: string[][] = [];
      let row: string[] = [];
      let cell = '';
      let quoted = false;
      const endRow = () => {
        row.push(cell);
        if (row.length > 1 || row[0].trim() !== '') rows.push(row);
        row = [];
        cell = '';
      };
      for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (quoted) {
          if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
          else if (ch === '"') {
            quoted = false;
            if (i + 1 < text.length && !['\n', '\r', sep].includes(text[i + 1])) throw new Error('after quote');
          } else cell += ch;
        } else if (ch === '"' && cell === '') quoted = true;
        else if (ch === sep) row.push(cell), (cell = '');
        else if (ch === '\n' || ch === '\r') {
          if (ch === '\r' && text[i + 1] === '\n') i++;
          endRow();
        } else cell += ch;
      }
      if (quoted) throw new Error('unterminated');
      if (cell !== '' || row.length) endRow();
      return rows;
    };
    const random = prng(11);
    const alphabet = ['a', 'b', ' ', ',', '\t', '"', '\n', '\r', 'x'];
    for (let n = 0; n < 5000; n++) {
      const text = Array.from({ length: Math.floor(random() * 40) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      let expected: string[][] | Error;
      try {
        expected = reference(text);
      } catch (e) {
        expected = e as Error;
      }
      if (expected instanceof Error) expect(() => parseDelimited(text), JSON.stringify(text)).toThrow(expected.message === 'unterminated' ? /unterminated/ : /text after a closing quote/);
      else expect(parseDelimited(text), JSON.stringify(text)).toEqual(expected);
    }
  });

  it('refuses an unterminated quote, naming the line it opens on', () => {
    expect(() => parseDelimited('a,b\n1,2\n3,"open\n4,5\n')).toThrow(/^line 3: unterminated/);
  });

  it('refuses text after a closing quote: a stray quote would swallow the lines up to the next one into a cell', () => {
    // The quote opened by mistake on line 3 closes on line 4, before the 5: m3's claim would be lost in m2's value.
    expect(() => parseDelimited('source,entity,field,value\na,m1,p,3\nb,m2,p,"4\nc,m3,p,"5"\n')).toThrow(/^line 4: text after a closing quote/);
    expect(parseDelimited('a,"b"\r\n"c",d')).toEqual([['a', 'b'], ['c', 'd']]);
  });

  it('counts a lone CR as a line end, and reads the delimiter from the first line that is not blank', () => {
    expect(() => parseClaimsFile('source,entity,field,value\rs,e,f,1\rs,e\r')).toThrow(/^line 3 /);
    expect(() => parseClaimsFile('source,entity,field,value\ns,e,f,1\r"s",e\n')).toThrow(/^line 3 /);
    expect(() => parseClaimsFile('source,entity,field,value\ns,e\u0000,f,1\rs\n')).toThrow(/^line 2 /);
    expect(() => parseClaimsFile('source,entity,field,value\rs,e,f,1\rs,e,f,"2\r')).toThrow(/^line 3: unterminated/);
    expect(parseDelimited('\n\nsource\tentity\n a\tb\n')).toEqual([['source', 'entity'], [' a', 'b']]);
  });
});

describe('parseClaimsFile', () => {
  it('takes the columns by name, in any order, and skips blank values', () => {
    expect(parseClaimsFile('field,value,entity,source\nspeed,10,e1,s1\nspeed,,e1,s2\n')).toEqual([
      { source: 's1', entity: 'e1', field: 'speed', value: '10' },
    ]);
  });

  it('names the missing columns', () => {
    expect(() => parseClaimsFile('source,entity,val\ns,e,1\n')).toThrow(/lacks field, value/);
  });

  it('names the line of a short row', () => {
    expect(() => parseClaimsFile('source,entity,field,value\ns,e,f,1\ns,e\n')).toThrow(/line 3/);
  });

  it('names the line as the file counts it, past blank lines and quoted cells that span lines', () => {
    const text = 'source,entity,field,value\n\ns,"two\nline name",f,1\r\n\ns,e,f,1,\ns,e\n';
    expect(() => parseClaimsFile(text)).toThrow(/^line 7 /);
  });

  it('rejects an observed_at that is no date, naming its line', () => {
    expect(() => parseClaimsFile('source,entity,field,value,observed_at\ns,e,f,1,2026-01-10\ns,e,f,2,notadate\n')).toThrow(/line 3: observed_at: not a date/);
    // Date.parse takes all of these; none is a date a claim was observed at.
    for (const loose of ['000', '1', 'Jan 5', '2026-02-30']) {
      expect(() => parseClaimsFile(`source,entity,field,value,observed_at\ns,e,f,1,${loose}\n`), loose).toThrow(/line 2: observed_at: not a date/);
    }
    expect(parseClaimsFile('source,entity,field,value,observed_at\ns,e,f,1,2026-01-10T00:00:00Z\n')[0].observed_at).toBe('2026-01-10T00:00:00Z');
  });

  it('refuses a row with more cells than the header unless they are blank: an unquoted "128,000" is two cells', () => {
    expect(() => parseClaimsFile('source,entity,field,value\na,m1,context_window,128,000\n')).toThrow(/^line 2 .* 5 cells, the header has 4 \(is a cell with a comma unquoted\?\)/);
    expect(parseClaimsFile('source,entity,field,value\na,m1,context_window,128000,\n')).toEqual([{ source: 'a', entity: 'm1', field: 'context_window', value: '128000' }]);
  });

  it('refuses a header that names a column it reads twice', () => {
    expect(() => parseClaimsFile('source,entity,field,value,Value\na,m1,p,3,4\n')).toThrow(/names value twice/);
    expect(parseClaimsFile('source,entity,field,value,note,note\na,m1,p,3,x,y\n')).toHaveLength(1);
  });

  it('rejects a confidence outside [0, 1]', () => {
    expect(() => parseClaimsFile('source,entity,field,value,confidence\ns,e,f,1,7\n')).toThrow(/confidence/);
  });

  it('refuses a NUL character, naming its line: the reconciler joins entity, field and condition with it', () => {
    // Two different (entity, field) pairs that would otherwise join to one key.
    expect(() => parseClaimsFile('source,entity,field,value\ns,a\u0000b,c,1\ns,a,b\u0000c,2\n')).toThrow(/line 2 .*NUL.*UTF-16/);
    const utf16 = Buffer.from('source,entity,field,value\ns,e,f,1\n', 'utf16le').toString('utf8');
    expect(() => parseClaimsFile(utf16)).toThrow(/line 1 .*NUL/);
  });
});

describe('runReconcileCommand', () => {
  it('prints one value per (entity, field) as CSV with --values-only', () => {
    const out = runReconcileCommand(sample, { valuesOnly: true });
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('entity,field,value');
    expect(lines).toContain('XY-100-AAA-BBB,departure,1:00 p.m.');
    expect(lines).toContain('XY-700-GGG-HHH,gate,"B12, north"');
    // the blank arrival cell made no claim, so no value
    expect(lines.some((l) => l.startsWith('XY-700-GGG-HHH,arrival'))).toBe(false);
    // 6 flights x 2 fields + XY-700 departure + gate
    expect(lines).toHaveLength(1 + 14);
  });

  it('lets the learned reliability settle a one-against-one conflict', () => {
    const out = JSON.parse(runReconcileCommand(sample, { json: true }));
    const contested = out.chosen.find((c: { entity: string; field: string }) => c.entity === 'XY-700-GGG-HHH' && c.field === 'departure');
    expect(contested).toMatchObject({ value: '9:15 a.m.', sources: ['careful-a'], dissent: [{ source: 'sloppy', value: '9:45 a.m.' }] });
    expect(contested.confidence).toBeGreaterThan(0.5);
    const sloppy = out.sources.find((s: { source_id: string }) => s.source_id === 'sloppy');
    const careful = out.sources.find((s: { source_id: string }) => s.source_id === 'careful-a');
    expect(sloppy.learned).toBeLessThan(careful.learned);
    expect(sloppy).toMatchObject({ agreements: 0, disagreements: 13 });
  });

  it('prints a table with status, confidence, sources and source reliability by default', () => {
    const out = runReconcileCommand(sample);
    expect(out.split('\n')[0]).toMatch(/^entity\s+field\s+value\s+status\s+confidence\s+sources\s+against$/);
    expect(out).toMatch(/XY-100-AAA-BBB\s+departure\s+1:00 p\.m\.\s+resolved\s+\d\.\d\d\s+careful-a careful-b careful-c\s+sloppy=1:03 p\.m\./);
    expect(out).toContain('Source reliability:');
  });

  it('compares generic text values trimmed and case-folded (TSV input)', () => {
    const out = runReconcileCommand(path.join(fixtures, 'colors.tsv'), { valuesOnly: true });
    expect(out).toBe('entity,field,value\nm1,color,Red\n');
  });

  it('streams the whole result as one JSON document, each chosen value on a line of its own, empty or of several chunks', () => {
    const many = reconcileRecords(parseClaimsFile('source,entity,field,value\n' + Array.from({ length: 9000 }, (_, i) => `s${i % 3},e${i},f,${i % 7}`).join('\n')));
    for (const result of [reconcileClaimsFile(sample), many, { ...many, chosen: [] }]) {
      const text = [...reconciledChunks(result, { json: true })].join('');
      expect(JSON.parse(text)).toEqual({ chosen: result.chosen, sources: result.reliability });
      const lines = new Set(text.split('\n'));
      expect(result.chosen.every((c, i) => lines.has(JSON.stringify(c) + (i < result.chosen.length - 1 ? ',' : '')))).toBe(true);
    }
    expect([...reconciledChunks(many, { json: true })].length).toBeGreaterThan(1);
  });

  it('pads the table to its widest cell across chunks', () => {
    const records = parseClaimsFile('source,entity,field,value\n' + Array.from({ length: 5000 }, (_, i) => `s,e${i},f,1`).join('\n') + '\ns,a-much-longer-entity-name,f,1\n');
    const rows = formatReconciled(reconcileRecords(records)).split('\n').filter((l) => /^e\d/.test(l));
    expect(rows).toHaveLength(5000);
    const fieldColumn = 'a-much-longer-entity-name'.length + 2;
    expect(rows.every((l) => l.indexOf(' f ') + 1 === fieldColumn)).toBe(true);
  });

  it('says clearly when the file is missing', () => {
    expect(() => runReconcileCommand(path.join(fixtures, 'nope.csv'))).toThrow(/cannot read the claims file .*nope\.csv/);
  });
});

describe('reconcileRecords', () => {
  it('is deterministic and sorted whatever the input order', () => {
    const records = parseClaimsFile(
      'source,entity,field,value\na,e2,x,1\nb,e2,x,1\na,e1,y,2\nb,e1,y,3\nc,e1,y,3\na,e1,x,4\n',
    );
    const forward = reconcileRecords(records);
    expect(reconcileRecords([...records].reverse())).toEqual(forward);
    expect(forward.chosen.map((c) => `${c.entity}.${c.field}=${String(c.value)}`)).toEqual(['e1.x=4', 'e1.y=3', 'e2.x=1']);
  });

  it('uses a caller-supplied equivalence', () => {
    const records = parseClaimsFile('source,entity,field,value\na,e,t,7:10 p.m.\nb,e,t,19:10\nc,e,t,7:15 p.m.\n');
    const asMinutes = (_field: string, v: unknown) => {
      const [h, m] = String(v).replace(/\s*p\.m\./, '').split(':').map(Number);
      return String((String(v).includes('p.m.') ? h + 12 : h) * 60 + m);
    };
    const [chosen] = reconcileRecords(records, { valueKey: asMinutes }).chosen;
    expect(chosen.sources).toEqual(['a', 'b']);
    expect(chosen.status).not.toBe('agreed');
  });
});
