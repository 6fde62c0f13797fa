/** `sources` (what each source is and has yielded) and `sources add` (propose a new one). */
import { Option, type Command } from 'commander';
import type * as app from '../app/index.ts';
import { EXIT } from '../errors.ts';
import { loadApp, loadFormat, print, workspaceOf } from './io.ts';

const day = (at: string | null) => (at ? at.slice(0, 16).replace('T', ' ') : 'never');

export function formatSourceRows(rows: app.SourceStatus[]): string {
  const lines = rows.map((r) => {
    const yielded = r.yielded ? `${r.yielded.models} models, ${r.yielded.figures} figures` : 'nothing yet';
    const state = r.live_only && !r.basis ? 'live only' : r.drift ? `drift: ${r.drift}` : r.consecutive_failures ? `${r.consecutive_failures} failure(s): ${r.last_error}` : 'ok';
    const learned = typeof r.reliability?.learned === 'number' ? `  reliability ${r.reliability.learned.toFixed(2)}` : '';
    return `${r.id.padEnd(28)} ${r.kind.padEnd(12)} last success ${day(r.last_success_at).padEnd(16)}  ${yielded.padEnd(28)} ${state}${r.live_only && r.basis ? ' (live only)' : ''}${learned}`;
  });
  const count = (kind: string) => rows.filter((r) => r.kind === kind).length;
  const liveOnly = rows.filter((r) => r.live_only).length;
  lines.push(`${rows.length} sources: ${count('first-party')} first-party, ${count('model-card')} model cards, ${count('api')} api, ${count('aggregator')} aggregators; ${liveOnly} live only (no shipped snapshot)`);
  return lines.join('\n');
}

function formatProposal(p: app.SourceProposal, claimLine: (c: app.ExtractorTrial['claims'][number]) => string): string {
  const lines = [`format: ${p.format} (from the ${p.format_from}${p.content_type ? `: ${p.content_type}` : ''})`];
  for (const t of p.trials) {
    lines.push('', `== extractor ${t.extractor}: ${t.figures} figures of ${t.models} model(s)${t.extractor === p.chosen ? '  <- proposed' : ''}`);
    lines.push(...t.claims.map((c) => `  ${claimLine(c)}`));
    lines.push(...t.drift.map((d) => `  drift: ${d}`));
  }
  lines.push('', ...p.notes);
  if (p.source) {
    lines.push(`proposed ${p.path}:`, JSON.stringify(p.source, null, 2));
    lines.push(p.drift.length ? `its expect rules on this page: ${p.drift.join('; ')}` : 'its expect rules hold on this page');
    lines.push(p.written ? `wrote ${p.path}` : 'nothing written (add --write to write it)');
  }
  return lines.filter((l, i) => l !== '' || i > 0).join('\n');
}

export function registerSourcesCommands(program: Command): void {
  const sources = program
    .command('sources')
    .description('each source: kind, last success, what it yielded (models, figures), drift, live only; `sources add` proposes a new one')
    .option('--json', 'print as JSON')
    .action(async (o, cmd) => {
      const app = await loadApp();
      const rows = app.sourceStatuses(await workspaceOf(cmd));
      print(o, rows, () => formatSourceRows(rows));
    });

  sources
    .command('add')
    .description('read a page (fetched politely, or --file), try the extractors, and propose sources/<id>.json')
    .argument('[url]', 'the page (with --file: the address the saved copy came from)')
    .option('--file <file>', 'a saved copy of the page instead of fetching it')
    .option('--id <id>', 'the source id (default: from the URL or file name)')
    .addOption(new Option('--render <how>', 'fetch as is, or render the page in a headless browser').choices(['http', 'browser']))
    .option('--user-agent <ua>', 'User-Agent for the fetch; must name the tool and a contact URL')
    .option('--allow-private-network', 'let the fetch reach loopback, private and link-local addresses')
    .option('--write', 'write the proposed source file (never over an existing one)')
    .option('--json', 'print the proposal as JSON')
    .action(async (url: string | undefined, o, cmd) => {
      const fetch = { ...(o.userAgent ? { userAgent: o.userAgent } : {}), allowPrivateNetwork: Boolean(o.allowPrivateNetwork) };
      const [app, format] = await Promise.all([loadApp(), loadFormat()]);
      const proposal = await app.proposeSource(await workspaceOf(cmd), { url, file: o.file, id: o.id, write: o.write, render: o.render, fetch });
      // `sources --json` and `sources add --json` are one flag to commander: read it from either.
      print({ json: Boolean(cmd.optsWithGlobals().json) }, proposal, () => formatProposal(proposal, format.claimLine));
      // A page without figures is bad input for a source: said, nothing proposed.
      if (!proposal.source) process.exitCode = EXIT.badInput;
    });
}
