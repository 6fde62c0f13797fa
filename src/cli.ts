#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { FIELD_NAMES, FIELDS, type FieldName } from './schema/fields.ts';
import type { ClaimValue } from './schema/claim.ts';
import { SourceFormatSchema } from './schema/source.ts';
import type { ChangeStatus } from './schema/change.ts';
import { extractDocument } from './extract/registry.ts';
import { Ledger, DEFAULT_DB_PATH } from './store/ledger.ts';
import { parsePointInTime } from './normalize/dates.ts';
import { loadSources, selectSources, ConfigError } from './pipeline/sources.ts';
import { sha256Hex } from './pipeline/manifest.ts';
import { runSync, type Reading } from './pipeline/run-sync.ts';
import { runReconcileCommand } from './reconcile/claims-file.ts';
import { DEFAULT_ALIAS_FILE, loadAliasRegistry, addAlias, addDistinct, type AliasRegistry } from './normalize/aliases.ts';
import { canonicalModelId, slugifyModelName } from './normalize/identity.ts';
import { createProgressReporter } from './fetch/index.ts';
import { runPipeline, reconcileAndQueue, type SyncSummary } from './pipeline/sync.ts';
import { approveChanges, rejectChanges, resolveReviewer, ReviewError } from './review/decide.ts';
import { batchSelection, parseFilter } from './review/batch.ts';
import { startDesk, DEFAULT_DESK_PORT } from './review/web/server.ts';
import { exportDataset, EXPORT_FORMATS, type ExportFormat } from './export/write.ts';
import { DEFAULT_SNAPSHOTS_DIR, DEFAULT_SOURCES_DIR } from './paths.ts';
import { EXIT } from './exit-codes.ts';
import { formatSummary, formatSummaryMarkdown, formatFact, formatChange, formatInterval } from './review/format.ts';
import { acquireLock, LockedError } from './pipeline/lock.ts';
import { notify, notificationBody } from './pipeline/notify.ts';

interface GlobalOptions {
  db: string;
  sources: string;
  snapshots: string;
  aliases: string;
}

function print(json: boolean | undefined, data: unknown, text: () => string): void {
  process.stdout.write(json ? JSON.stringify(data, null, 2) + '\n' : text() + '\n');
}

function openLedger(cmd: Command): { ledger: Ledger; opts: GlobalOptions } {
  const opts = cmd.optsWithGlobals() as GlobalOptions;
  return { ledger: new Ledger(opts.db), opts };
}

/**
 * Turns a user-typed model name into the canonical id it names: an id or a name some source
 * printed, then the name canonicalized ("Claude Sonnet 4.5" -> anthropic/claude-sonnet-4.5) or
 * typed without its provider ("qwen3.5-9b"), each mapped through the alias registry.
 */
function resolveModel(ledger: Ledger, name: string, aliasesFile: string): string {
  const registry = loadRegistry(aliasesFile);
  const mapped = (id: string) => registry.byAlias.get(id) ?? id;
  const named = [...new Set(ledger.models.find(name).map(mapped))];
  if (named.length === 1) return named[0];
  if (named.length > 1) throw new ReviewError(`"${name}" names several models: ${named.join(', ')}`);
  const canonical = mapped(canonicalModelId(name));
  if (ledger.models.has(canonical)) return canonical;
  const bare = [...new Set(ledger.models.idsEndingWith(slugifyModelName(name)).map(mapped))];
  if (bare.length === 1) return bare[0];
  if (bare.length > 1) throw new ReviewError(`"${name}" names several models: ${bare.join(', ')}`);
  throw new ReviewError(`no model named "${name}" in the ledger (try a canonical id such as openai/gpt-5.2-codex, or \`model-ledger models\`)`);
}

/** A webhook must be an http(s) URL; checked before the sync runs, not after it. */
function checkWebhook(url: string | undefined): void {
  if (url === undefined) return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ReviewError(`--notify needs an http(s) URL, not "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ReviewError(`--notify needs an http(s) URL, not "${url}"`);
}

function checkAt(at: string): string {
  try {
    return parsePointInTime(at);
  } catch (e) {
    throw new ReviewError((e as Error).message);
  }
}

function checkField(field?: string): FieldName | undefined {
  if (field === undefined) return undefined;
  if (!(FIELD_NAMES as string[]).includes(field)) throw new ReviewError(`unknown field "${field}"; fields: ${FIELD_NAMES.join(', ')}`);
  return field as FieldName;
}

/** Prints the summary (text, JSON or nothing), writes the Markdown copy and sends the webhook. */
async function reportSync(ledger: Ledger, summary: SyncSummary, o: { json?: boolean; quiet?: boolean; summary?: string; notify?: string }, db: string): Promise<void> {
  if (!o.quiet || o.json) print(o.json, summary, () => formatSummary(summary));
  if (o.summary) writeFileSync(o.summary, formatSummaryMarkdown(summary, ledger.changes.list({ status: 'pending' })));
  if (o.notify && summary.changes.pending > 0) {
    const sent = await notify(o.notify, notificationBody(summary, db));
    if (!sent.ok) process.stderr.write(`model-ledger: webhook ${o.notify} failed: ${sent.error ?? `HTTP ${sent.status}`}\n`);
  }
}

function loadRegistry(file: string): AliasRegistry {
  try {
    return loadAliasRegistry(file);
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
}

function syncExitCode(summary: SyncSummary): number {
  const failed = summary.sources.filter((s) => s.outcome === 'failed' || s.outcome === 'drift').length;
  if (failed === 0) return EXIT.ok;
  return failed === summary.sources.length ? EXIT.allFailed : EXIT.partial;
}

function normalizeDate(input: string): string {
  const at = checkAt(input);
  return at.includes('T') ? at : `${at}T00:00:00.000Z`;
}

export function buildProgram(): Command {
  const program = new Command('model-ledger')
    .description('A reviewed, versioned dataset of AI model specs and prices.')
    .option('--db <path>', 'SQLite ledger', process.env.MODEL_LEDGER_DB ?? DEFAULT_DB_PATH)
    .option('--sources <dir>', 'directory of source files', DEFAULT_SOURCES_DIR)
    .option('--snapshots <dir>', 'directory of shipped snapshots', DEFAULT_SNAPSHOTS_DIR)
    .option('--aliases <file>', 'the alias registry reviewers edit', DEFAULT_ALIAS_FILE)
    .showHelpAfterError()
    .exitOverride();

  program
    .command('sync')
    .description('read every source, extract, reconcile, and queue changes against the approved dataset')
    .option('--offline', 'replay the newest shipped or stored snapshot of each source instead of fetching')
    .option('--source <id...>', 'only these sources')
    .option('--user-agent <ua>', 'User-Agent for live fetches; must name the tool and a contact URL')
    .option('--per-host-delay <ms>', 'minimum delay between requests to one host', '1000')
    .option('--summary <file>', 'also write the summary as Markdown (for a CI step summary or a PR body)')
    .option('--notify <url>', 'POST a JSON notification to this webhook when changes await review')
    .option('--quiet', 'print nothing but errors')
    .option('--json', 'print the summary as JSON')
    .action(async (o, cmd) => {
      const { ledger, opts } = openLedger(cmd);
      checkWebhook(o.notify);
      const release = acquireLock(opts.db);
      try {
        const all = loadSources(opts.sources);
        const targets = selectSources(all, o.source);
        const progress = createProgressReporter({ tty: Boolean(process.stderr.isTTY), quiet: Boolean(o.quiet || o.json) });
        const reading: Reading = o.offline
          ? { offline: true, snapshotsDir: opts.snapshots }
          : { offline: false, fetch: { ...(o.userAgent ? { userAgent: o.userAgent } : {}), perHostDelayMs: Number(o.perHostDelay), onProgress: progress.onProgress } };
        const summary = await runSync(ledger, { sources: all, aliases: loadRegistry(opts.aliases) }, targets, reading).finally(() => progress.done());
        await reportSync(ledger, summary, o, opts.db);
        process.exitCode = syncExitCode(summary);
      } finally {
        ledger.close();
        release();
      }
    });

  program
    .command('ingest')
    .description('record a local file as a new snapshot of a source, then reconcile and queue changes')
    .argument('<file>', 'the captured page or API response')
    .requiredOption('--source <id>', 'the source this capture belongs to')
    .option('--observed-at <date>', 'when the capture was taken (default: now)')
    .option('--summary <file>', 'also write the summary as Markdown')
    .option('--notify <url>', 'POST a JSON notification to this webhook when changes await review')
    .option('--quiet', 'print nothing but errors')
    .option('--json', 'print the summary as JSON')
    .action(async (file: string, o, cmd) => {
      const { ledger, opts } = openLedger(cmd);
      checkWebhook(o.notify);
      const release = acquireLock(opts.db);
      try {
        const all = loadSources(opts.sources);
        const [source] = selectSources(all, [o.source]);
        if (!existsSync(file)) throw new ConfigError(`no such file: ${file}`);
        const body = readFileSync(file, 'utf8');
        const observedAt = o.observedAt ? normalizeDate(o.observedAt) : new Date().toISOString();
        const snapshot = { source_id: source.id, sha256: sha256Hex(body), observed_at: observedAt, url: source.url, format: source.format, content_type: null, body };
        const summary = await runPipeline(ledger, { sources: all, aliases: loadRegistry(opts.aliases) }, [source], async () => ({ status: 'snapshot', origin: 'ingest', snapshot }));
        await reportSync(ledger, summary, o, opts.db);
        const outcome = summary.sources.find((s) => s.source_id === source.id)?.outcome;
        process.exitCode = outcome === 'drift' || outcome === 'failed' ? EXIT.partial : EXIT.ok;
      } finally {
        ledger.close();
        release();
      }
    });

  program
    .command('extract')
    .description('print the claims a file yields, without touching the ledger')
    .argument('<file>')
    .addOption(new Option('--format <format>', 'how to read the file').choices(['auto', ...SourceFormatSchema.options]).default('auto'))
    .option('--extractor <name>', 'force an extractor instead of detecting one')
    .option('--provider <slug>', 'provider for bare model names')
    .option('--json', 'print the claims as JSON')
    .action((file: string, o) => {
      if (!existsSync(file)) throw new ConfigError(`no such file: ${file}`);
      const result = extractDocument(readFileSync(file, 'utf8'), { format: o.format, extractor: o.extractor, provider: o.provider, filename: basename(file) });
      const claims = result.claims.map(({ model, field, value, unit, condition, locator, quote, anomaly }) => ({ model, field, value, unit, condition, locator, quote, ...(anomaly ? { anomaly } : {}) }));
      if (o.json) {
        process.stdout.write(JSON.stringify(claims, null, 2) + '\n');
      } else {
        for (const c of claims) process.stdout.write(`${c.model}\t${c.field}${c.condition ? `[${c.condition}]` : ''}\t${c.value}\t${c.locator}\n`);
      }
      const report = [...result.notes.map((n) => `note: ${n}`), ...result.drift.map((d) => `drift: ${d}`)];
      if (claims.length === 0) report.push('no figures found');
      for (const line of report) process.stderr.write(line + '\n');
    });

  program
    .command('explain')
    .description('why a figure is what it is: the fact, its status and every claim behind it')
    .argument('<model>', 'canonical id or any alias')
    .argument('[field]')
    .option('--json', 'print as JSON')
    .action((model: string, field: string | undefined, o, cmd) => {
      const { ledger, opts } = openLedger(cmd);
      try {
        const facts = ledger.facts.list({ model: resolveModel(ledger, model, opts.aliases), field: checkField(field) });
        if (facts.length === 0) throw new ReviewError(`no facts for ${model}${field ? ` ${field}` : ''}`);
        print(o.json, field && facts.length === 1 ? facts[0] : facts, () => facts.map(formatFact).join('\n\n'));
      } finally {
        ledger.close();
      }
    });

  program
    .command('changes')
    .description('list changes waiting for review (or reviewed ones)')
    .addOption(new Option('--status <status>').choices(['pending', 'approved', 'rejected', 'superseded']).default('pending'))
    .option('--json', 'print as JSON')
    .action((o, cmd) => {
      const { ledger } = openLedger(cmd);
      try {
        const changes = ledger.changes.list({ status: o.status as ChangeStatus });
        print(o.json, changes, () => (changes.length ? changes.map(formatChange).join('\n') : `no ${o.status} changes`));
      } finally {
        ledger.close();
      }
    });

  const approve = program
    .command('approve')
    .description('approve pending changes: they enter the dataset and its history')
    .argument('[ids...]', 'change ids')
    .option('--all', 'every pending change')
    .option('--note <text>', 'why')
    .option('--reviewer <name>', 'who (default: $MODEL_LEDGER_REVIEWER or the OS user)')
    .option('--json', 'print as JSON');
  withSelectionOptions(approve).action((ids: string[], o, cmd) => {
    const { ledger, opts } = openLedger(cmd);
    try {
      if (o.all && ids.length === 0 && ledger.changes.list({ status: 'pending' }).length === 0) {
        print(o.json, [], () => 'no pending changes');
        return;
      }
      const chosen = chooseChanges(ledger, ids, o, opts.aliases);
      const done = approveChanges(ledger, chosen, { reviewer: resolveReviewer(o.reviewer), note: o.note }, loadSources(opts.sources));
      print(o.json, done, () => `approved ${done.length} change(s)`);
    } finally {
      ledger.close();
    }
  });

  const reject = program
    .command('reject')
    .description('reject pending changes; they are not proposed again unless the evidence changes')
    .argument('[ids...]', 'change ids')
    .option('--all', 'every pending change')
    .requiredOption('--reason <text>', 'why')
    .option('--reviewer <name>', 'who (default: $MODEL_LEDGER_REVIEWER or the OS user)')
    .option('--json', 'print as JSON');
  withSelectionOptions(reject).action((ids: string[], o, cmd) => {
    const { ledger, opts } = openLedger(cmd);
    try {
      const done = rejectChanges(ledger, chooseChanges(ledger, ids, o, opts.aliases), { reviewer: resolveReviewer(o.reviewer), reason: o.reason });
      print(o.json, done, () => `rejected ${done.length} change(s)`);
    } finally {
      ledger.close();
    }
  });

  program
    .command('review')
    .description('review pending changes: --web serves the review desk in the browser')
    .option('--web', 'serve the review desk (http, 127.0.0.1 by default)')
    .option('--port <n>', 'desk port (0 picks a free one)', String(DEFAULT_DESK_PORT))
    .option('--host <host>', 'address to bind; anything but loopback needs --token', '127.0.0.1')
    .option('--token <secret>', 'secret the desk asks for (default: $MODEL_LEDGER_DESK_TOKEN)')
    .option('--reviewer <name>', 'who (default: $MODEL_LEDGER_REVIEWER or the OS user)')
    .action(async (o, cmd) => {
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ReviewError(`not a port: "${o.port}"`);
      const { ledger, opts } = openLedger(cmd);
      if (!o.web) {
        try {
          const pending = ledger.changes.list({ status: 'pending' });
          process.stdout.write((pending.length ? pending.map(formatChange).join('\n') + '\n\nmodel-ledger review --web opens the review desk' : 'nothing to review') + '\n');
        } finally {
          ledger.close();
        }
        return;
      }
      try {
        const token = o.token ?? process.env.MODEL_LEDGER_DESK_TOKEN;
        const desk = await startDesk({ ledger, sources: loadSources(opts.sources), reviewer: resolveReviewer(o.reviewer), host: o.host, port, token });
        process.stderr.write(`review desk at ${desk.url}${token ? '?token=…' : ''}  (Ctrl-C to stop)\n`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await desk.close();
      } finally {
        ledger.close();
      }
    });

  program
    .command('history')
    .description('approved values over time, with valid-from / valid-to dates')
    .argument('<model>')
    .argument('[field]')
    .option('--at <date>', 'only the values in force on this date')
    .option('--json', 'print as JSON')
    .action((model: string, field: string | undefined, o, cmd) => {
      const { ledger, opts } = openLedger(cmd);
      try {
        const id = resolveModel(ledger, model, opts.aliases);
        const f = checkField(field);
        const rows = o.at
          ? ledger.history.publishedAt(checkAt(o.at)).filter((r) => r.model === id && (!f || r.field === f))
          : ledger.history.list({ model: id, field: f });
        print(o.json, rows, () => (rows.length ? rows.map(formatInterval).join('\n') : `no approved values for ${id}`));
      } finally {
        ledger.close();
      }
    });

  program
    .command('export')
    .description('write the approved dataset (dataset.json, history.json and their JSON Schemas)')
    .requiredOption('--out <dir>', 'output directory')
    .option('--at <date>', 'the dataset as approved and in force on this date')
    .option('--format <formats>', `comma-separated: ${EXPORT_FORMATS.join(', ')}, or all (dataset.json and history.json are always written)`, 'json')
    .option('--json', 'print what was written as JSON')
    .action((o, cmd) => {
      const { ledger } = openLedger(cmd);
      try {
        const result = exportDataset(ledger, o.out, { at: o.at === undefined ? undefined : checkAt(o.at), formats: parseFormats(o.format) });
        print(o.json, result, () => {
          const line = `wrote ${result.files.join(', ')} to ${result.dir}: ${result.models} models, ${result.values} values, ${result.intervals} history intervals`;
          return result.values === 0 ? `${line}\nnothing is approved yet: the dataset fills as changes are approved (model-ledger approve)` : line;
        });
      } finally {
        ledger.close();
      }
    });

  program
    .command('override')
    .description('pin a value for a model field with a reason; it holds across syncs until lifted')
    .argument('<model>')
    .argument('<field>')
    .argument('[value]', 'the value to pin (numbers in the field\'s unit; true/false for flags)')
    .option('--condition <condition>', 'the condition the value holds under', '')
    .option('--reason <text>', 'why (required when pinning)')
    .option('--lift', 'lift the pinned value instead')
    .option('--reviewer <name>', 'who (default: $MODEL_LEDGER_REVIEWER or the OS user)')
    .option('--json', 'print as JSON')
    .action(async (model: string, field: string, value: string | undefined, o, cmd) => {
      const { ledger, opts } = openLedger(cmd);
      try {
        const id = resolveModel(ledger, model, opts.aliases);
        const f = checkField(field)!;
        const reviewer = resolveReviewer(o.reviewer);
        const at = new Date().toISOString();
        if (o.lift) {
          const lifted = ledger.overrides.lift(id, f, o.condition, reviewer, at);
          if (!lifted) throw new ReviewError(`no pinned value for ${id} ${f}${o.condition ? ` [${o.condition}]` : ''}`);
          ledger.audit.record(reviewer, 'lift-override', `${id} ${f}`, { condition: o.condition }, at);
        } else {
          if (value === undefined) throw new ReviewError('name the value to pin, or use --lift');
          if (!o.reason) throw new ReviewError('pinning a value needs a reason (--reason TEXT)');
          ledger.overrides.pin({ model: id, field: f, condition: o.condition, value: parseFieldValue(f, value), reason: o.reason, reviewer, created_at: at });
        }
        // Re-reconcile at once, so that the pin (or its lifting) shows up as a change to review.
        const summary = reconcileAndQueue(ledger, { sources: loadSources(opts.sources), aliases: loadRegistry(opts.aliases) }, []);
        const facts = ledger.facts.list({ model: id, field: f }).filter((x) => x.condition === o.condition);
        print(o.json, { fact: facts[0] ?? null, pending: summary.changes.pending }, () => (facts[0] ? formatFact(facts[0]) : 'no fact') + `\n${summary.changes.pending} change(s) pending review`);
      } finally {
        ledger.close();
      }
    });

  program
    .command('reconcile')
    .description('run the reconciler on any CSV/TSV of claims: source, entity, field, value[, observed_at]')
    .requiredOption('--claims <file>', 'the claims file (comma- or tab-separated, with a header row)')
    .option('--values-only', 'print only entity,field,value as CSV')
    .option('--json', 'print as JSON')
    .action((o) => {
      if (!existsSync(o.claims)) throw new ConfigError(`no such file: ${o.claims}`);
      let text: string;
      try {
        text = runReconcileCommand(o.claims, { json: o.json, valuesOnly: o.valuesOnly });
      } catch (e) {
        throw new ConfigError((e as Error).message);
      }
      process.stdout.write(text.endsWith('\n') ? text : text + '\n');
    });

  program
    .command('models')
    .description('the models the ledger knows, or (--new) those first named by a source and not yet confirmed')
    .option('--new', 'only new-model candidates awaiting review, with the known models each may be an alias of')
    .option('--json', 'print as JSON')
    .action((o, cmd) => {
      const { ledger } = openLedger(cmd);
      try {
        if (o.new) {
          const rows = ledger.models.candidates('pending');
          print(o.json, rows, () =>
            rows.length
              ? rows.map((r) => `${r.model_id}  ("${r.name}" on ${r.source_id})${r.proposals.length ? `\n    may be: ${r.proposals.map((p) => `${p.id} (${p.reason})`).join('; ')}` : ''}`).join('\n')
              : 'no new models await review',
          );
        } else {
          const rows = ledger.models.list().map((m) => ({ ...m, aliases: ledger.models.aliasesOf(m.id) }));
          print(o.json, rows, () => rows.map((m) => `${m.id}  ${m.aliases.join(', ')}`).join('\n'));
        }
      } finally {
        ledger.close();
      }
    });

  program
    .command('alias')
    .description('settle a new-model candidate: NAME is another name of model ID (or, with --not, a different model)')
    .argument('<name>', 'the name or id a source printed')
    .argument('<id>', 'the canonical id of the model it names (with --not: the one it is not)')
    .option('--not', 'record that NAME and ID are different models; NAME is confirmed as a new model')
    .option('--reviewer <name>', 'who (default: $MODEL_LEDGER_REVIEWER or the OS user)')
    .option('--json', 'print as JSON')
    .action((name: string, id: string, o, cmd) => {
      const { ledger, opts } = openLedger(cmd);
      try {
        const reviewer = resolveReviewer(o.reviewer);
        const at = new Date().toISOString();
        const nameId = canonicalModelId(name);
        if (!ledger.models.has(id) && !loadRegistry(opts.aliases).ids.has(id)) {
          throw new ReviewError(`no model ${id} in the ledger or the alias registry: name a model a source has stated (see \`model-ledger models\`)`);
        }
        const text = existsSync(opts.aliases) ? readFileSync(opts.aliases, 'utf8') : 'models: {}\ndistinct: []\n';
        let updated: string;
        try {
          updated = o.not ? addDistinct(text, nameId, id) : addAlias(text, id, name);
        } catch (e) {
          throw new ReviewError((e as Error).message);
        }
        writeFileSync(opts.aliases, updated);
        ledger.models.decideCandidate(nameId, o.not ? 'new' : 'alias', reviewer, at, o.not ? `not ${id}` : `alias of ${id}`);
        if (!o.not) ledger.models.merge(nameId, id, at);
        ledger.audit.record(reviewer, o.not ? 'distinct' : 'alias', nameId, { name, id }, at);
        // Re-reconcile at once: an alias moves the name's claims onto its model.
        const summary = reconcileAndQueue(ledger, { sources: loadSources(opts.sources), aliases: loadRegistry(opts.aliases) }, []);
        print(o.json, { name, id, relation: o.not ? 'distinct' : 'alias', pending: summary.changes.pending }, () => `${name} ${o.not ? 'is not' : 'is an alias of'} ${id} (written to ${opts.aliases}); ${summary.changes.pending} change(s) pending review`);
      } finally {
        ledger.close();
      }
    });

  program
    .command('sources')
    .description('each source: its basis, last success, last failure, consecutive failures, learned reliability')
    .option('--json', 'print as JSON')
    .action((o, cmd) => {
      const { ledger, opts } = openLedger(cmd);
      try {
        const reliability = new Map(ledger.facts.reliability().map((r) => [r.source_id as string, r]));
        const rows = loadSources(opts.sources).map((s) => {
          const state = ledger.sources.state(s.id);
          const capture = ledger.captures.current(s.id);
          const last = ledger.sources.fetchLog(s.id, 1)[0];
          return {
            id: s.id,
            kind: s.kind,
            url: s.url,
            render: s.render,
            robots: s.robots,
            trust_prior: s.trust,
            basis: capture ? { snapshot: capture.sha256, observed_at: capture.observed_at, claims: capture.claim_count } : null,
            last_status: last?.status ?? null,
            last_checked_at: state?.last_attempt_at ?? null,
            last_success_at: state?.last_success_at ?? null,
            last_failure_at: state?.last_failure_at ?? null,
            last_error: state?.last_error ?? null,
            last_error_class: last?.error_class ?? null,
            last_http_status: last?.http_status ?? null,
            last_attempts: last?.attempts ?? null,
            last_ms: last?.ms ?? null,
            consecutive_failures: state?.consecutive_failures ?? 0,
            etag: state?.etag ?? null,
            last_modified: state?.last_modified ?? null,
            reliability: reliability.get(s.id) ?? null,
          };
        });
        print(o.json, rows, () =>
          rows
            .map((r) => {
              const basis = r.basis ? `basis ${r.basis.observed_at.slice(0, 10)} (${r.basis.claims} claims)` : 'no basis';
              const learned = typeof r.reliability?.learned === 'number' ? `  reliability ${(r.reliability.learned as number).toFixed(2)}` : '';
              const success = r.last_success_at ? `  last success ${r.last_success_at.slice(0, 16).replace('T', ' ')}` : '';
              const failures = r.consecutive_failures ? `  ${r.consecutive_failures} failure(s): ${r.last_error}` : '';
              return `${r.id.padEnd(24)} ${r.kind.padEnd(12)} ${basis}${learned}${success}${failures}`;
            })
            .join('\n'),
        );
      } finally {
        ledger.close();
      }
    });

  return program;
}

function parseFieldValue(field: FieldName, text: string): ClaimValue {
  const kind = FIELDS[field].kind;
  if (kind === 'boolean') {
    if (!/^(true|false)$/i.test(text)) throw new ReviewError(`${field} takes true or false, not "${text}"`);
    return text.toLowerCase() === 'true';
  }
  if (kind === 'tokens' || kind === 'usd_per_mtok' || kind === 'count') {
    const n = Number(text.replaceAll(',', ''));
    if (!Number.isFinite(n) || n < 0) throw new ReviewError(`${field} takes a non-negative number, not "${text}"`);
    return n;
  }
  return text;
}

function parseFormats(list: string): ExportFormat[] {
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.includes('all')) return [...EXPORT_FORMATS];
  const unknown = names.filter((n) => !(EXPORT_FORMATS as readonly string[]).includes(n));
  if (unknown.length) throw new ReviewError(`unknown export format(s): ${unknown.join(', ')} (formats: ${EXPORT_FORMATS.join(', ')}, all)`);
  return names as ExportFormat[];
}

/** Batch review: approve/reject take a selection as well as ids. */
function withSelectionOptions(command: Command): Command {
  return command
    .option('--source <id>', 'pending changes whose new value this source supports')
    .option('--model <name>', 'pending changes of this model (canonical id or alias)')
    .option('--provider <slug>', 'pending changes of this provider\'s models')
    .option('--field <field>', 'pending changes of this field')
    .option('--kind <kind>', 'pending changes of this kind: added, changed or removed');
}

function chooseChanges(ledger: Ledger, ids: string[], o: { all?: boolean; source?: string; model?: string; provider?: string; field?: string; kind?: string }, aliasesFile: string): number[] {
  const filter = parseFilter({ ...o, model: o.model ? resolveModel(ledger, o.model, aliasesFile) : undefined });
  return batchSelection(ledger.changes.list({ status: 'pending' }), { ids: parseIds(ids), all: o.all, filter });
}

function parseIds(ids: string[]): number[] {
  return ids.map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n <= 0) throw new ReviewError(`not a change id: "${s}"`);
    return n;
  });
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return Number(process.exitCode ?? 0);
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof LockedError) {
      process.stderr.write(`model-ledger: ${e.message}\n`);
      return EXIT.locked;
    }
    if (e instanceof ConfigError || e instanceof ReviewError) {
      process.stderr.write(`model-ledger: ${e.message}\n`);
      return EXIT.badInput;
    }
    process.stderr.write(`model-ledger: internal error: ${(e as Error).stack ?? e}\n`);
    return EXIT.internal;
  }
}

if (process.argv[1] && /cli\.ts$/.test(process.argv[1])) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
