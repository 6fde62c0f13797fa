/** The desk's pages as HTML strings: pure functions of their views. Every value goes through html``. */
import type { Change } from '../../schema/change.ts';
import type { ClaimValue } from '../../schema/claim.ts';
import type { Fact } from '../../schema/fact.ts';
import { isPriceField } from '../../schema/fields.ts';
import type { RegionDiff } from '../../diff/evidence.ts';
import type { SourceEvidence } from '../evidence.ts';
import { formatValue } from '../format.ts';
import { stepChart } from './chart.ts';
import { html, queryString, safeUrl, type SafeHtml } from './html.ts';
import type { ModelView, QueueItem, QueueView } from './views.ts';
import { GROUP_TITLES, TRIAGE_GROUPS, type TriageGroup } from '../triage.ts';

export interface PageContext {
  csrf: string;
  reviewer: string;
  now: string;
}

function layout(title: string, body: SafeHtml, ctx: PageContext): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · model-ledger review</title><link rel="stylesheet" href="/assets/desk.css"></head>
<body data-csrf="${ctx.csrf}">
<header class="top"><a href="/" class="brand">model-ledger review</a><span class="who">reviewing as <b>${ctx.reviewer}</b></span>
<span class="keys">j/k move · a approve · r reject · Esc leave a field</span></header>
<main>${body}</main><script src="/assets/desk.js"></script></body></html>`.value;
}

const label = (c: { field: string; condition: string }) => html`<code>${c.field}</code>${c.condition ? html` <span class="cond">[${c.condition}]</span>` : ''}`;

function moveBadge(move: number | null): SafeHtml | '' {
  if (move === null) return '';
  const sign = move > 0 ? '+' : '';
  return html`<span class="${move > 0 ? 'move up' : 'move down'}">${sign}${move.toFixed(1)}%</span>`;
}

function valueText(field: Change['field'], v: ClaimValue | null): string {
  if (v === null) return '(none)';
  return isPriceField(field) && typeof v === 'number' ? `$${v}` : formatValue(v);
}

function changeLine(c: Change): SafeHtml {
  if (c.kind === 'added') return html`<span class="kind added">added</span> <b class="new">${valueText(c.field, c.new_value)}</b>`;
  if (c.kind === 'removed') return html`<span class="kind removed">no longer seen</span> <s class="old">${valueText(c.field, c.old_value)}</s>`;
  return html`<span class="old">${valueText(c.field, c.old_value)}</span> → <b class="new">${valueText(c.field, c.new_value)}</b>`;
}

function diffBlock(diff: RegionDiff): SafeHtml {
  return html`<pre class="diff">${diff.hunks.map(
    (h) =>
      html`<span class="hunk">${h.header}</span>\n${h.lines.map(
        (l) =>
          html`<span class="line ${l.kind}">${l.kind === 'added' ? '+' : l.kind === 'removed' ? '-' : ' '}${l.parts.map((p) => (p.changed ? html`<mark>${p.text}</mark>` : p.text))}</span>\n`,
      )}`,
  )}</pre>`;
}

function sourceEvidence(e: SourceEvidence): SafeHtml {
  const snap = (ref: SourceEvidence['snapshot'], name: string) =>
    ref ? html`<a href="/snapshots/${ref.sha256}" target="_blank" rel="noopener">${name} ${ref.observed_at.slice(0, 10)} (${ref.sha256.slice(0, 10)})</a>` : '';
  const claim = e.claim
    ? html`<span class="${e.claim.supports ? 'for' : 'against'}">${e.claim.supports ? 'for' : 'against'}</span> says <b>${formatValue(e.claim.value)}</b> at <code>${e.claim.locator}</code>: <q>${e.claim.quote}</q>`
    : html`<span class="against">no longer lists it</span>`;
  const body = e.diff && e.diff.hunks.length ? diffBlock(e.diff) : e.region ? html`<pre class="diff">${e.region.text}</pre>` : '';
  return html`<div class="evidence">
<div class="claim"><a href="${safeUrl(e.source_url)}" target="_blank" rel="noopener noreferrer" class="source">${e.source_id}</a> ${claim}</div>
<div class="snaps">${snap(e.previous, 'before')} ${e.previous ? '→' : ''} ${snap(e.snapshot, 'snapshot')}${e.note ? html` <i>${e.note}</i>` : ''}</div>
${body}</div>`;
}

function queueItem(item: QueueItem, ctx: PageContext, back: string): SafeHtml {
  const c = item.change;
  const fact = c.fact ? html`<span class="status ${c.fact.status}">${c.fact.status}</span> <span class="conf">confidence ${c.fact.confidence.toFixed(2)}</span>` : '';
  return html`<article class="change" data-id="${c.id}" data-state="pending" tabindex="-1">
<div class="head"><span class="id">#${c.id}</span> <span class="group ${item.group}">${GROUP_TITLES[item.group]}</span> ${label(c)} ${changeLine(c)} ${moveBadge(item.move)} ${fact}
<span class="observed">observed ${c.observed_at.slice(0, 10)}${item.backfill ? ' · backfill' : ''}</span> <span class="state"></span></div>
${c.fact ? html`<p class="why">${c.fact.explanation}</p>` : ''}
<details class="evidence-list"${c.kind === 'added' ? '' : html` open`}><summary>evidence (${item.evidence.sources.length} source${item.evidence.sources.length === 1 ? '' : 's'})</summary>${item.evidence.sources.map(sourceEvidence)}</details>
<form class="decide" method="post" action="/changes/${c.id}/decide">
<input type="hidden" name="csrf" value="${ctx.csrf}"><input type="hidden" name="back" value="${back}">
<input type="text" name="note" placeholder="note (a reason is required to reject)" aria-label="note for change ${c.id}" autocomplete="off">
<button type="submit" name="action" value="approve" class="approve">Approve</button>
<button type="submit" name="action" value="reject" class="reject">Reject</button>
<span class="message" role="status"></span></form></article>`;
}

function filterSelect(name: string, values: string[], chosen: string | undefined): SafeHtml {
  return html`<label>${name} <select name="${name}"><option value="">all</option>${values.map((v) => html`<option value="${v}"${v === chosen ? html` selected` : ''}>${v}</option>`)}</select></label>`;
}

export function queuePage(view: QueueView, ctx: PageContext, flash?: string): string {
  const f = view.filter;
  const filterParams = { source: f.source, provider: f.provider, field: f.field, kind: f.kind, model: f.model, group: view.group };
  const back = `/${queryString({ ...filterParams, page: view.page > 1 ? view.page : undefined })}`;
  const pager =
    view.pages > 1
      ? html`<nav class="pager">${view.page > 1 ? html`<a href="/${queryString({ ...filterParams, page: view.page - 1 })}">← previous</a>` : ''} page ${view.page} of ${view.pages} ${view.page < view.pages ? html`<a href="/${queryString({ ...filterParams, page: view.page + 1 })}">next →</a>` : ''}</nav>`
      : '';
  const body = html`
<form class="filters" method="get" action="/">
${filterSelect('source', view.choices.source, f.source)}${filterSelect('provider', view.choices.provider, f.provider)}${filterSelect('field', view.choices.field, f.field)}${filterSelect('kind', view.choices.kind, f.kind)}
${f.model ? html`<input type="hidden" name="model" value="${f.model}">` : ''}${view.group ? html`<input type="hidden" name="group" value="${view.group}">` : ''}
<button type="submit">Filter</button> <a href="/">clear</a></form>
<nav class="triage" aria-label="triage groups">${TRIAGE_GROUPS.map(
    (g) => html`<a class="group ${g}${view.group === g ? ' chosen' : ''}" href="/${queryString({ ...filterParams, group: g, page: undefined })}">${GROUP_TITLES[g]} <b>${view.counts[g]}</b></a> `,
  )}<a href="/${queryString({ ...filterParams, group: undefined, page: undefined })}">all groups</a></nav>
<p class="count">${view.matched} of ${view.pending} pending change${view.pending === 1 ? '' : 's'}${f.model ? html` for <code>${f.model}</code>` : ''}${view.group ? html` in <b>${GROUP_TITLES[view.group]}</b>` : ''}
${view.matched > 0 ? html` · <a class="bulk" href="/bulk${queryString({ ...filterParams, page: undefined })}">approve or reject all ${view.matched}…</a>` : ''}</p>
${flash ? html`<p class="flash" role="status">${flash}</p>` : ''}
${view.groups.length === 0 ? html`<p class="empty">Nothing to review here.</p>` : ''}
${view.groups.map(
  (g) => html`<section class="group"><h2><a href="/model${queryString({ id: g.model })}">${g.modelName}</a> <code class="model-id">${g.model}</code>
<span class="via">${g.sources.length ? html`via ${g.sources.join(', ')}` : 'no source lists it now'}</span></h2>
${g.items.map((item) => queueItem(item, ctx, back))}</section>`,
)}
${pager}`;
  return layout('Queue', body, ctx);
}

function claimsSideBySide(fact: Fact): SafeHtml {
  return html`<section class="dispute"><h3>${label(fact)}: <b>${formatValue(fact.value)}</b> <span class="status ${fact.status}">${fact.status}</span> <span class="conf">confidence ${fact.confidence.toFixed(2)}</span></h3>
<p class="why">${fact.explanation}</p>
<div class="side-by-side">${fact.claims.map(
    (c) => html`<div class="${c.supports ? 'claim-card for' : 'claim-card against'}"><div class="source">${c.source_id} <small>(${c.source_kind})</small></div>
<div class="value">${formatValue(c.value)}</div><div>${c.supports ? 'supports the chosen value' : 'disagrees'} · weight ${c.weight.toFixed(2)}</div>
<div><code>${c.locator}</code></div><q>${c.quote}</q><div class="observed">observed ${c.observed_at.slice(0, 10)} · <a href="/snapshots/${c.snapshot_hash}" target="_blank" rel="noopener">snapshot</a></div></div>`,
  )}</div></section>`;
}

export function modelPage(view: ModelView, ctx: PageContext): string {
  const series = (field: 'input_price' | 'output_price', name: string, color: string) => ({
    name,
    color,
    intervals: view.history
      .filter((h) => h.field === field && h.condition === '' && typeof h.value === 'number')
      .map((h) => ({ from: h.valid_from, to: h.valid_to, value: h.value as number })),
  });
  const chart = stepChart([series('input_price', 'input $/1M', '#1f6feb'), series('output_price', 'output $/1M', '#d9480f')], {
    now: ctx.now,
    title: `${view.id} price history`,
  });
  const body = html`<h1>${view.name} <code class="model-id">${view.id}</code></h1>
<p class="aliases">also seen as: ${view.aliases.map((a, i) => html`${i ? ', ' : ''}<q>${a}</q>`)}</p>
${view.pending.length ? html`<p><a href="/${queryString({ model: view.id })}">${view.pending.length} pending change${view.pending.length === 1 ? '' : 's'} for this model</a></p>` : ''}
<h2>Price history</h2>${chart}
<h2>Facts</h2>
<table class="facts"><thead><tr><th>field</th><th>value</th><th>status</th><th>confidence</th><th>approved</th><th>sources</th></tr></thead><tbody>
${view.facts.map(
  ({ fact, published }) => html`<tr><td>${label(fact)}</td><td>${formatValue(fact.value)}</td><td><span class="status ${fact.status}">${fact.status}</span></td>
<td>${fact.confidence.toFixed(2)}</td><td>${published ? html`${formatValue(published.value)} <small>since ${published.valid_from.slice(0, 10)}</small>` : html`<i>not yet</i>`}</td>
<td>${[...new Set(fact.claims.map((c) => c.source_id))].join(', ')}</td></tr>`,
)}</tbody></table>
<h2>Disputed fields</h2>
${view.disputes.length ? view.disputes.map(claimsSideBySide) : html`<p class="empty">The sources agree on every field.</p>`}
<h2>History</h2>
<table class="history"><thead><tr><th>field</th><th>value</th><th>from</th><th>to</th><th>change</th></tr></thead><tbody>
${view.history.map(
  (h) => html`<tr><td>${label(h)}</td><td>${formatValue(h.value)}</td><td>${h.valid_from.slice(0, 10)}</td><td>${h.valid_to ? h.valid_to.slice(0, 10) : 'now'}</td><td>${h.change_id ? `#${h.change_id}` : ''}</td></tr>`,
)}</tbody></table>`;
  return layout(view.id, body, ctx);
}

export function messagePage(title: string, message: string, ctx: PageContext): string {
  return layout(title, html`<h1>${title}</h1><p>${message}</p><p><a href="/">back to the queue</a></p>`, ctx);
}

export interface BulkPreview {
  filter: QueueView['filter'];
  group?: TriageGroup;
  changes: Array<Change & { group: TriageGroup }>;
}

/** The bulk form: exactly the changes a bulk decision will act on, listed before anything is written. */
export function bulkPage(view: BulkPreview, ctx: PageContext): string {
  const f = view.filter;
  const back = `/${queryString({ source: f.source, provider: f.provider, field: f.field, kind: f.kind, model: f.model, group: view.group })}`;
  const body = html`<h1>Bulk decision: ${view.changes.length} change${view.changes.length === 1 ? '' : 's'}</h1>
<p>Approving or rejecting here acts on exactly these pending changes and no others; a change decided meanwhile stops the whole batch.</p>
<form class="bulk-decide" method="post" action="/bulk">
<input type="hidden" name="csrf" value="${ctx.csrf}"><input type="hidden" name="back" value="${back}">
<input type="hidden" name="ids" value="${view.changes.map((c) => c.id).join(',')}">
<input type="text" name="note" placeholder="note (a reason is required to reject)" aria-label="note for the batch" autocomplete="off">
<button type="submit" name="action" value="approve" class="approve">Approve all ${view.changes.length}</button>
<button type="submit" name="action" value="reject" class="reject">Reject all ${view.changes.length}</button> <a href="${back}">cancel</a></form>
<table class="preview"><thead><tr><th>#</th><th>group</th><th>model</th><th>field</th><th>change</th></tr></thead><tbody>
${view.changes.map((c) => html`<tr><td>${c.id}</td><td><span class="group ${c.group}">${GROUP_TITLES[c.group]}</span></td><td><code>${c.model}</code></td><td>${label(c)}</td><td>${changeLine(c)}</td></tr>`)}
</tbody></table>`;
  return layout('Bulk decision', body, ctx);
}
