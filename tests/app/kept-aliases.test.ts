import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { aliasesOf, workspace, withLedger } from '../../src/app/workspace.ts';
import { loadAliasRegistry } from '../../src/store/alias-file.ts';
import { Ledger } from '../../src/store/ledger.ts';

const REGISTRY = 'models:\n  openai/gpt-4o:\n    - GPT 4 Omni\n  anthropic/claude-sonnet-4.5:\n    - sonnet 4.5\ndistinct:\n  - [openai/gpt-4o, openai/gpt-4o-mini]\n';

describe('the alias registry kept in the ledger', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  function setUp(text: string) {
    const dir = mkdtempSync(path.join(tmpdir(), 'kept-aliases-'));
    dirs.push(dir);
    const ws = workspace({ db: path.join(dir, 'ledger.sqlite'), aliasesFile: path.join(dir, 'aliases.yaml'), journal: null });
    writeFileSync(ws.aliasesFile, text);
    new Ledger(ws.db).close(); // a ledger a sync made
    return ws;
  }

  it('gives what reading the file gives, and again from what it kept while the bytes stay the same', () => {
    const ws = setUp(REGISTRY);
    const read = loadAliasRegistry(ws.aliasesFile);
    expect(read.byAlias.size).toBe(2);
    withLedger(ws, (ledger) => {
      expect(aliasesOf(ws, ledger)).toEqual(read);
      expect(aliasesOf(ws, ledger)).toEqual(read);
      // What is handed back is what was kept, not the file read again.
      const kept = JSON.parse(ledger.runs.meta('read_aliases')!);
      kept.value.ids.push('kept/only');
      ledger.runs.setMeta('read_aliases', JSON.stringify(kept));
      expect(aliasesOf(ws, ledger).ids.has('kept/only')).toBe(true);
    });
  });

  it('reads the file again when it changes, and a malformed one is still an error', () => {
    const ws = setUp(REGISTRY);
    withLedger(ws, (ledger) => {
      aliasesOf(ws, ledger);
      writeFileSync(ws.aliasesFile, 'models:\n  openai/gpt-4o: [omni]\ndistinct: []\n');
      expect([...aliasesOf(ws, ledger).byAlias.values()]).toEqual(['openai/gpt-4o']);
      writeFileSync(ws.aliasesFile, 'models: [not, a, map]\n');
      expect(() => aliasesOf(ws, ledger)).toThrow(/aliases\.yaml/);
    });
  });

  it('treats a missing file as an empty registry', () => {
    const ws = setUp(REGISTRY);
    rmSync(ws.aliasesFile);
    withLedger(ws, (ledger) => expect(aliasesOf(ws, ledger).ids.size).toBe(0));
  });
});
