/** What every command shares: where its ledger lives, and how it prints. */
import type { Command } from 'commander';
import * as app from '../app/index.ts';

export type Json = { json?: boolean };

export function print(o: Json, data: unknown, text: () => string): void {
  process.stdout.write(o.json ? JSON.stringify(data, null, 2) + '\n' : text() + '\n');
}

export function workspaceOf(cmd: Command): app.Workspace {
  const g = cmd.optsWithGlobals() as { db: string; sources: string; snapshots: string; aliases: string; journal?: string };
  return app.workspace({ db: g.db, sourcesDir: g.sources, snapshotsDir: g.snapshots, aliasesFile: g.aliases, journal: g.journal });
}
