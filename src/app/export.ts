import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { inputError, usageError } from '../errors.ts';
import { serveDirectory, type ExportServer } from '../export/serve.ts';
import { exportDataset, type ExportFormat, type ExportResult } from '../export/write.ts';
import { pointInTime } from './sync.ts';
import { unwritable } from '../writable.ts';
import { sourcesOf, withLedger, type Workspace } from './workspace.ts';

/** Writes the approved dataset (as it stood on `at`, if given) to `dir` in each format. */
export function exportLedger(ws: Workspace, dir: string, options: { at?: string; formats?: ExportFormat[] } = {}): ExportResult {
  const at = options.at === undefined ? undefined : pointInTime(options.at);
  if (dir.trim() === '') throw usageError('--out names the directory the export replaces, not an empty path');
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw inputError(`${dir} exists and is not a directory: --out names the directory the export replaces`);
  const why = unwritable(dir, 'directory');
  if (why) throw inputError(`cannot write the export to ${dir} (--out DIR): ${why}`);
  // The LiteLLM and models.dev exports speak those sources' language, read from their captures.
  const readBy = (extractor: string) => (options.formats?.includes(extractor as ExportFormat) ? sourcesOf(ws).filter((s) => s.extractor === extractor).map((s) => s.id) : undefined);
  try {
    return withLedger(ws, (ledger) => exportDataset(ledger, dir, { at, formats: options.formats, litellmSources: readBy('litellm'), modelsDevSources: readBy('models-dev') }));
  } catch (e) {
    // A refusal to write beside or under --out (a read-only or pseudo filesystem, a race with
    // another writer) is the path's, not a fault of the export.
    const failed = (e as NodeJS.ErrnoException).path;
    if (failed && resolve(failed).startsWith(dirname(resolve(dir)))) throw inputError(`cannot write the export to ${dir} (--out DIR): ${(e as Error).message}`);
    throw e;
  }
}

/** Serves an export directory on 127.0.0.1 (port 0: any free port) until `close()`. */
export async function serveExport(dir: string, options: { port?: number } = {}): Promise<ExportServer> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw inputError(`not a directory: ${dir} (write one with model-ledger export --out ${dir} --format api)`);
  return serveDirectory(dir, options);
}
