#!/usr/bin/env node
/**
 * The `model-ledger` command: it parses arguments, calls the use cases in src/app and prints.
 * Errors are formatted once, in main(): a LedgerError in one line with its exit code, anything
 * else as an internal error with its stack.
 */
import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT, LedgerError, usageError } from './errors.ts';
import { exportFormats, integer, MIN_YIELD, syncExitCode, syncReport, withPolicyOptions, withReportOptions } from './cli/options.ts';
import { loadApp, loadFormat, print, printChunks, workspaceOf, type Json } from './cli/io.ts';
import { registerReviewCommands } from './cli/review.ts';
import { registerSourcesCommands } from './cli/sources.ts';
import { createProgressReporter } from './fetch/progress.ts';
import { ExportFormatSchema } from './schema/dataset.ts';
import { SourceFormatSchema } from './schema/source.ts';
import type { SyncSummary } from './schema/sync.ts';
import { DEFAULT_ALIAS_FILE, DEFAULT_DB_PATH, DEFAULT_SNAPSHOTS_DIR, DEFAULT_SOURCES_DIR, PACKAGE_ROOT } from './paths.ts';

async function printSummary(o: Json & { quiet?: boolean }, summary: SyncSummary): Promise<void> {
  const format = await loadFormat();
  if (!o.quiet || o.json) print(o, summary, () => format.formatSummary(summary));
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

export function buildProgram(): Command {
  const program = new Command('model-ledger')
    .description('A reviewed, versioned dataset of AI model specs and prices.')
    .version(packageVersion(), '--version', 'print the version')
    .option('--db <path>', 'SQLite ledger', process.env.MODEL_LEDGER_DB || DEFAULT_DB_PATH)
    .option('--sources <dir>', 'directory of source files', process.env.MODEL_LEDGER_SOURCES || DEFAULT_SOURCES_DIR)
    .option('--snapshots <dir>', 'directory of shipped snapshots', process.env.MODEL_LEDGER_SNAPSHOTS || DEFAULT_SNAPSHOTS_DIR)
    .option('--aliases <file>', 'the alias registry reviewers edit', process.env.MODEL_LEDGER_ALIASES || DEFAULT_ALIAS_FILE)
    .option('--journal <file>', 'the decisions journal every decision is appended to (default: $MODEL_LEDGER_JOURNAL, else decisions.ndjson beside the ledger)')
    .exitOverride();

  withReportOptions(
    withPolicyOptions(
      program
        .command('sync')
        .description('read every source, extract, reconcile, and queue changes against the approved dataset')
        .option('--offline', 'replay the newest shipped or stored snapshot of each source instead of fetching')
        .option('--source <id...>', 'only these sources')
        .option('--user-agent <ua>', 'User-Agent for live fetches; must name the tool and a contact URL')
        .option('--per-host-delay <ms>', 'minimum delay between requests to one host', integer(0), 1000)
        .option('--allow-private-network', 'let every source reach loopback, private and link-local addresses (refused by default)')
        .option('--full', 'reconcile and diff everything even when nothing changed since the last sync')
        .option(...MIN_YIELD),
    ),
  ).action(async (o, cmd) => {
    const app = await loadApp();
    const progress = createProgressReporter({ quiet: Boolean(o.quiet || o.json) });
    const fetch = {
      ...(o.userAgent ? { userAgent: o.userAgent } : {}),
      perHostDelayMs: o.perHostDelay,
      allowPrivateNetwork: Boolean(o.allowPrivateNetwork),
      onProgress: progress.onProgress,
    };
    const policy = app.loadPolicy(o.policy);
    const summary = await app.syncLedger(await workspaceOf(cmd), { offline: o.offline, sources: o.source, fetch, full: Boolean(o.full), limits: { minYieldPct: o.minYield }, report: syncReport(o), policy }).finally(() => progress.done());
    await printSummary(o, summary);
    process.exitCode = syncExitCode(summary);
  });

  withReportOptions(
    withPolicyOptions(
      program
        .command('ingest')
        .description('record a local file as a new snapshot of a source, then reconcile and queue changes')
        .argument('<file>', 'the captured page or API response')
        .requiredOption('--source <id>', 'the source this capture belongs to')
        .option('--observed-at <date>', 'when the capture was taken (default: now)')
        .option('--full', 'reconcile and diff everything, not only the keys the capture touches')
        .option(...MIN_YIELD),
    ),
  ).action(async (file: string, o, cmd) => {
    const app = await loadApp();
    const summary = await app.ingestFile(await workspaceOf(cmd), file, { source: o.source, observedAt: o.observedAt, full: Boolean(o.full), limits: { minYieldPct: o.minYield }, report: syncReport(o), policy: app.loadPolicy(o.policy) });
    await printSummary(o, summary);
    const outcome = summary.sources.find((s) => s.source_id === o.source)?.outcome;
    process.exitCode = outcome === 'drift' || outcome === 'failed' ? EXIT.partial : EXIT.ok;
  });

  program
    .command('extract')
    .description('print the claims a file yields, without touching the ledger')
    .argument('<file>')
    .addOption(new Option('--format <format>', 'how to read the file').choices(['auto', ...SourceFormatSchema.options]).default('auto'))
    .option('--extractor <name>', 'force an extractor instead of detecting one')
    .option('--provider <slug>', 'provider for bare model names')
    .option('--json', 'print the claims as JSON')
    .action(async (file: string, o) => {
      // Only the extractors: the use cases' index would load the ledger this command never opens.
      const [{ extractFile }, format] = await Promise.all([import('./app/files.ts'), loadFormat()]);
      const result = extractFile(file, { format: o.format, extractor: o.extractor, provider: o.provider });
      const claims = result.claims.map(({ model, field, value, unit, condition, locator, quote, anomaly }) => ({ model, field, value, unit, condition, locator, quote, ...(anomaly ? { anomaly } : {}) }));
      print(o, claims, () => claims.map(format.claimLine).join('\n'));
      const report = [...result.notes.map((n) => `note: ${n}`), ...result.drift.map((d) => `drift: ${d}`)];
      if (claims.length === 0) report.push('no figures found');
      for (const line of report) process.stderr.write(line + '\n');
      // Drift (an unknown extractor, a page short of what it should yield) is a failed read, as in a sync.
      if (result.drift.length > 0) process.exitCode = EXIT.partial;
    });

  program
    .command('explain')
    .description('why a figure is what it is: the fact, its status and every claim behind it')
    .argument('<model>', 'canonical id or any alias')
    .argument('[field]')
    .option('--json', 'print as JSON')
    .action(async (model: string, field: string | undefined, o, cmd) => {
      const [app, format] = await Promise.all([loadApp(), loadFormat()]);
      const facts = app.explainModel(await workspaceOf(cmd), model, field);
      print(o, field && facts.length === 1 ? facts[0] : facts, () => facts.map(format.formatFact).join('\n\n'));
    });

  registerReviewCommands(program);

  program
    .command('history')
    .description('approved values over time, with valid-from / valid-to dates')
    .argument('<model>')
    .argument('[field]')
    .option('--at <date>', 'only the values in force on this date')
    .option('--json', 'print as JSON')
    .action(async (model: string, field: string | undefined, o, cmd) => {
      const [app, format] = await Promise.all([loadApp(), loadFormat()]);
      const { id, intervals } = app.modelHistory(await workspaceOf(cmd), model, { field, at: o.at });
      print(o, intervals, () => (intervals.length ? intervals.map(format.formatInterval).join('\n') : `no approved values for ${id}${o.at !== undefined ? ` in force at ${o.at}` : ''}`));
    });

  program
    .command('export')
    .description('write the approved dataset (dataset.json, history.json and their JSON Schemas)')
    .requiredOption('--out <dir>', 'output directory')
    .option('--at <date>', 'the dataset as approved and in force on this date')
    .option('--format <formats>', `comma-separated: ${ExportFormatSchema.options.join(', ')}, or all (dataset.json and history.json are always written)`, exportFormats, ['json'])
    .option('--json', 'print what was written as JSON')
    .action(async (o, cmd) => {
      const [app, format] = await Promise.all([loadApp(), loadFormat()]);
      const result = app.exportLedger(await workspaceOf(cmd), o.out, { at: o.at, formats: o.format });
      print(o, result, () => format.formatExportResult(result));
    });

  program
    .command('serve')
    .description('serve an export directory (export --format api) on 127.0.0.1: ETag/If-None-Match, CORS; Ctrl-C stops it')
    .requiredOption('--dir <dir>', 'the export directory')
    .option('--port <n>', 'port (0: any free port)', integer(0), 8788)
    .action(async (o) => {
      if (o.port > 65535) throw usageError(`not a port: "${o.port}"`);
      const app = await loadApp();
      const served = await app.serveExport(o.dir, { port: o.port });
      process.stderr.write(`serving ${o.dir} at ${served.url}  (Ctrl-C to stop)\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await served.close();
    });

  program
    .command('override')
    .description('pin a value for a model field with a reason; it holds across syncs until lifted')
    .argument('<model>')
    .argument('<field>')
    .argument('[value]', "the value to pin (numbers in the field's unit; true/false for flags)")
    .option('--condition <condition>', 'the condition the value holds under', '')
    .option('--reason <text>', 'why (required when pinning)')
    .option('--lift', 'lift the pinned value instead')
    .option('--reviewer <name>', 'who (default: $MODEL_LEDGER_REVIEWER or the OS user)')
    .option('--json', 'print as JSON')
    .action(async (model: string, field: string, value: string | undefined, o, cmd) => {
      const [app, format] = await Promise.all([loadApp(), loadFormat()]);
      const request = { model, field, condition: o.condition, reviewer: o.reviewer };
      const result = o.lift ? app.liftValue(await workspaceOf(cmd), request) : app.pinValue(await workspaceOf(cmd), { ...request, value, reason: o.reason });
      print(o, result, () => (result.fact ? format.formatFact(result.fact) : 'no fact') + `\n${result.pending} change(s) pending review`);
    });

  program
    .command('reconcile')
    .description('run the reconciler on any CSV/TSV of claims: source, entity, field, value[, observed_at]')
    .requiredOption('--claims <file>', 'the claims file (comma- or tab-separated, with a header row)')
    .option('--values-only', 'print only entity,field,value as CSV')
    .option('--json', 'print as JSON')
    .action(async (o) => {
      // Only the reconciler: a million-claim file should not wait for the ledger, fetch and extract modules.
      const [{ reconcileClaimsFile }, format] = await Promise.all([import('./app/claims-file.ts'), loadFormat()]);
      await printChunks(format.reconciledChunks(reconcileClaimsFile(o.claims), { json: o.json, valuesOnly: o.valuesOnly }));
    });

  program
    .command('models')
    .description('the models the ledger knows, or (--new) those first named by a source and not yet confirmed')
    .option('--new', 'only new-model candidates awaiting review, with the known models each may be an alias of')
    .option('--json', 'print as JSON')
    .action(async (o, cmd) => {
      const [app, format] = await Promise.all([loadApp(), loadFormat()]);
      if (o.new) {
        const rows = app.pendingCandidates(await workspaceOf(cmd));
        print(o, rows, () => format.formatCandidates(rows));
      } else {
        const rows = app.listModels(await workspaceOf(cmd));
        print(o, rows, () => rows.map((m) => `${m.id}  ${m.aliases.join(', ')}`).join('\n'));
      }
    });

  program
    .command('alias')
    .description('settle new-model candidates: NAME is another name of model ID (or, with --not, a different model); --all settles many by their best proposal')
    .argument('[name]', 'the name or id a source printed')
    .argument('[id]', 'the canonical id of the model it names (with --not: the one it is not)')
    .option('--not', 'record that NAME and ID are different models; NAME is confirmed as a new model')
    .option('--all', 'every pending candidate (narrow with --provider, --evidence), each by its best proposal')
    .option('--provider <slug>', 'with --all: only candidates of this provider')
    .option('--evidence <text>', 'with --all: only candidates whose best proposal\'s evidence says this ("same model name")')
    .option('--reviewer <name>', 'who (default: $MODEL_LEDGER_REVIEWER or the OS user)')
    .option('--json', 'print as JSON')
    .action(async (name: string | undefined, id: string | undefined, o, cmd) => {
      const app = await loadApp();
      const ws = await workspaceOf(cmd);
      if (o.all) {
        if (name !== undefined) throw usageError('alias --all takes no NAME or ID');
        const r = app.settleCandidates(ws, { provider: o.provider, evidence: o.evidence, distinct: o.not, reviewer: o.reviewer });
        print(o, r, () => [...r.settled.map((s) => `${s.name} ${s.relation === 'alias' ? 'is an alias of' : 'is not'} ${s.id}`), ...r.skipped.map((s) => `skipped ${s.name}: ${s.reason}`), `${r.settled.length} settled (written to ${ws.aliasesFile}); ${r.pending} change(s) pending review`].join('\n'));
        return;
      }
      if (name === undefined || id === undefined) throw usageError('name NAME and ID, or settle many with --all');
      const r = app.settleAlias(ws, { name, id, distinct: o.not, reviewer: o.reviewer });
      print(o, r, () => `${name} ${o.not ? 'is not' : 'is an alias of'} ${id} (written to ${ws.aliasesFile}); ${r.pending} change(s) pending review`);
    });

  registerSourcesCommands(program);

  return program;
}

let pipeGuarded = false;

export async function main(argv: string[]): Promise<number> {
  if (!pipeGuarded) {
    pipeGuarded = true;
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
      throw e;
    });
  }
  try {
    await buildProgram().parseAsync(argv);
    return Number(process.exitCode ?? 0);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (e instanceof LedgerError) {
      process.stderr.write(`model-ledger: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`model-ledger: internal error: ${(e as Error).stack ?? e}\n`);
    return EXIT.internal;
  }
}

if (process.argv[1] && /cli\.[jt]s$/.test(process.argv[1])) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
