import type { SyncSummary } from './sync.ts';

/** The JSON body a webhook receives when changes await review. */
export function notificationBody(summary: SyncSummary, ledger: string) {
  return {
    event: 'model-ledger.changes-pending',
    ledger,
    pending: summary.changes.pending,
    queued: summary.changes.queued,
    failed_sources: summary.sources.filter((s) => s.outcome === 'failed' || s.outcome === 'drift').map((s) => ({ id: s.source_id, problems: s.problems })),
    disputed: summary.conflicts.disputed,
    new_models: summary.new_models,
  };
}

/** Posts to the webhook; a failing webhook is reported, never fatal to the sync it reports on. */
export async function notify(url: string, body: unknown, timeoutMs = 10_000): Promise<{ ok: boolean; status: number | null; error?: string }> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { ok: response.ok, status: response.status };
  } catch (e) {
    return { ok: false, status: null, error: (e as Error).message };
  }
}
