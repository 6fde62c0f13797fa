import { exportDataset, type ExportFormat, type ExportResult } from '../export/write.ts';
import { pointInTime } from './sync.ts';
import { sourcesOf, withLedger, type Workspace } from './workspace.ts';

/** Writes the approved dataset (as it stood on `at`, if given) to `dir` in each format. */
export function exportLedger(ws: Workspace, dir: string, options: { at?: string; formats?: ExportFormat[] } = {}): ExportResult {
  const at = options.at === undefined ? undefined : pointInTime(options.at);
  const litellmSources = options.formats?.includes('litellm') ? sourcesOf(ws).filter((s) => s.extractor === 'litellm').map((s) => s.id) : undefined;
  return withLedger(ws, (ledger) => exportDataset(ledger, dir, { at, formats: options.formats, litellmSources }));
}
