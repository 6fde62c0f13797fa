/** The review commands: the queue (changes), decisions (approve, reject) and the desk (review --web). */
import { Command, Option } from 'commander';
import { usageError } from '../errors.ts';
import type { formatChange } from '../review/format.ts';
import { DEFAULT_LARGE_MOVE_PCT } from '../review/triage.ts';
import type { ChangeStatus } from '../schema/change.ts';
import { loadApp, loadFormat, print, workspaceOf } from './io.ts';
import { integer, percentage, withSelectionOptions } from './options.ts';

export function registerReviewCommands(program: Command): void {
  program
    .command('changes')
    .description('list changes waiting for review (or reviewed ones); pending ones grouped by what needs a human first')
    .addOption(new Option('--status <status>').choices(['pending', 'approved', 'rejected', 'superseded']).default('pending'))
    .option('--triage', 'with --json: {counts, changes} in triage order instead of the plain array')
    .option('--group <group>', 'only this triage group: disputed, large-move, removal, new-model, routine')
    .option('--large-move <pct>', 'a price move beyond this many percent is a large move', percentage, DEFAULT_LARGE_MOVE_PCT)
    .option('--json', 'print as JSON (each pending change carries its triage group)')
    .action(async (o, cmd) => {
      const [app, format] = await Promise.all([loadApp(), loadFormat()]);
      const ws = await workspaceOf(cmd);
      if (o.status !== 'pending') {
        if (o.group || o.triage) throw usageError('--triage and --group apply to pending changes');
        const changes = app.listChanges(ws, o.status as ChangeStatus);
        return print(o, changes, () => (changes.length ? changes.map(format.formatChange).join('\n') : `no ${o.status} changes`));
      }
      const t = app.triageChanges(ws, { largeMovePct: o.largeMove });
      const group = o.group ? app.triageGroupNamed(o.group) : undefined;
      const shown = group ? { changes: t.changes.filter((c) => c.group === group), counts: t.counts } : t;
      if (o.json && !o.triage) return print(o, [...shown.changes].sort((a, b) => a.id - b.id), () => '');
      print(o, shown, () => format.formatTriage(shown));
    });

  withSelectionOptions(program.command('approve').description('approve pending changes: they enter the dataset and its history'))
    .option('--note <text>', 'why')
    .action(async (ids: string[], o, cmd) => {
      const [app, format] = await Promise.all([loadApp(), loadFormat()]);
      const done = app.approve(await workspaceOf(cmd), { ...o, ids }, { reviewer: o.reviewer, note: o.note, dryRun: o.dryRun });
      if (o.dryRun) return print(o, done, () => dryRunText('approve', done, format));
      print(o, done, () => (done.length || !o.all ? `approved ${done.length} change(s)` : 'no pending changes'));
    });

  withSelectionOptions(program.command('reject').description('reject pending changes; they are not proposed again unless the evidence changes'))
    .requiredOption('--reason <text>', 'why')
    .action(async (ids: string[], o, cmd) => {
      const [app, format] = await Promise.all([loadApp(), loadFormat()]);
      const done = app.reject(await workspaceOf(cmd), { ...o, ids }, { reviewer: o.reviewer, reason: o.reason, dryRun: o.dryRun });
      if (o.dryRun) return print(o, done, () => dryRunText('reject', done, format));
      print(o, done, () => `rejected ${done.length} change(s)`);
    });

  program
    .command('rebuild')
    .description('recreate the ledger (--db, which must not hold one yet) from the snapshots and the decisions journal named by --journal FILE')
    .option('--json', 'print as JSON')
    .action(async (o, cmd) => {
      const app = await loadApp();
      const journal = (cmd.optsWithGlobals() as { journal?: string }).journal ?? process.env.MODEL_LEDGER_JOURNAL;
      if (!journal) throw usageError('name the journal to replay: rebuild --journal FILE');
      const ws = { ...await workspaceOf(cmd), journal: null };
      const r = await app.rebuildLedger(ws, journal);
      print(o, r, () => [`rebuilt ${r.db} from ${r.journal}: ${r.syncs} sync(s), ${r.decisions} decision(s) replayed`, ...r.skipped.map((s) => `skipped line ${s.line} (${s.action}): ${s.reason}`),
        ...(r.restored.length ? [`${ws.aliasesFile}: wrote back ${r.restored.length} alias decision(s) of the journal it lacked: ${r.restored.map((d) => `${d.name} ${d.relation === 'alias' ? '=' : '≠'} ${d.id}`).join(', ')}`] : [])].join('\n'));
    });

  program
    .command('review')
    .description('review pending changes: --web serves the review desk in the browser')
    .option('--web', 'serve the review desk (http, 127.0.0.1 by default)')
    .option('--port <n>', 'desk port (default 4178; 0 picks a free one)', integer(0))
    .option('--host <host>', 'address to bind; anything but loopback needs --token', '127.0.0.1')
    .option('--token <secret>', 'secret the desk asks for (default: $MODEL_LEDGER_DESK_TOKEN)')
    .option('--reviewer <name>', 'who (default: $MODEL_LEDGER_REVIEWER or the OS user)')
    .action(async (o, cmd) => {
      const [app, format] = await Promise.all([loadApp(), loadFormat()]);
      const ws = await workspaceOf(cmd);
      if (o.port > 65535) throw usageError(`not a port: "${o.port}"`);
      if (!o.web) {
        const pending = app.listChanges(ws);
        process.stdout.write((pending.length ? pending.map(format.formatChange).join('\n') + '\n\nmodel-ledger review --web opens the review desk' : 'nothing to review') + '\n');
        return;
      }
      const token = o.token ?? process.env.MODEL_LEDGER_DESK_TOKEN;
      const [{ startDesk }, { resolveReviewer }] = await Promise.all([import('../review/web/server.ts'), import('../review/decide.ts')]);
      await app.withLedger(ws, async (ledger) => {
        const desk = await startDesk({ ledger, sources: app.sourcesOf(ws), reviewer: resolveReviewer(o.reviewer), host: o.host, port: o.port, token, journal: app.journalOf(ws, ledger) });
        process.stderr.write(`review desk at ${desk.url}${token ? '?token=…' : ''}  (Ctrl-C to stop)\n`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await desk.close();
      });
    });

}

function dryRunText(action: 'approve' | 'reject', changes: Parameters<typeof formatChange>[0][], format: { formatChange: typeof formatChange }): string {
  return [`would ${action} ${changes.length} change(s) (dry run: nothing written):`, ...changes.map(format.formatChange)].join('\n');
}

/** Runs the command line; returns the exit code. Output to a closed pipe (`| head`) ends quietly. */
