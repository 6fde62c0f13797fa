/** What every command shares: where its ledger lives, and how it prints. */
import type { Command } from 'commander';
import { once } from 'node:events';
import type { Workspace } from '../app/index.ts';

export type Json = { json?: boolean };

/**
 * The use cases and their formatting, imported when a command runs rather than at start-up, so
 * that `--version` and `--help` load none of them (nor the SQLite driver, the HTML parser or the desk).
 */
export const loadApp = () => import('../app/index.ts');
export const loadFormat = () => import('../review/format.ts');

export function print(o: Json, data: unknown, text: () => string): void {
  process.stdout.write(o.json ? JSON.stringify(data, null, 2) + '\n' : text() + '\n');
}

/** Writes each chunk as the previous one drains, so a large output never sits whole in memory. */
export async function printChunks(chunks: Iterable<string>): Promise<void> {
  for (const chunk of chunks) if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
}

export async function workspaceOf(cmd: Command): Promise<Workspace> {
  const g = cmd.optsWithGlobals() as { db: string; sources: string; snapshots: string; aliases: string; journal?: string };
  const app = await loadApp();
  return app.workspace({ db: g.db, sourcesDir: g.sources, snapshotsDir: g.snapshots, aliasesFile: g.aliases, journal: g.journal });
}
