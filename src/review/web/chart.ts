/** The price-history step chart of the model page, drawn as inline SVG. Pure: intervals in, markup out. */
import { html, type SafeHtml } from './html.ts';

export interface StepSeries {
  name: string;
  color: string;
  intervals: Array<{ from: string; to: string | null; value: number }>;
}

const DAY = 86_400_000;
const W = 640;
const H = 220;
const M = { left: 60, right: 20, top: 28, bottom: 36 };

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

export function formatUsd(n: number): string {
  return `$${n >= 1 ? n.toFixed(2).replace(/\.00$/, '') : Number(n.toPrecision(3))}`;
}

/** Evenly spaced picks, so a long history does not crowd the axis. */
function pick<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items;
  const step = (items.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => items[Math.round(i * step)]);
}

/**
 * One line per series: each approved interval is a flat step at its price, joined to the next by
 * a vertical rise or fall; an open interval runs to `now`. Each step start has a tooltip.
 */
export function stepChart(series: StepSeries[], options: { now: string; title: string }): SafeHtml {
  const all = series.flatMap((s) => s.intervals);
  if (all.length === 0) return html`<p class="empty">No approved prices yet.</p>`;
  const times = all.flatMap((i) => [Date.parse(i.from), i.to ? Date.parse(i.to) : Date.parse(options.now)]);
  const t0 = Math.min(...times);
  const t1 = Math.max(Math.max(...times), t0 + DAY);
  const yMax = Math.max(...all.map((i) => i.value)) * 1.15 || 1;
  const x = (iso: string | null) => round(M.left + ((Date.parse(iso ?? options.now) - t0) / (t1 - t0)) * (W - M.left - M.right));
  const y = (v: number) => round(H - M.bottom - (v / yMax) * (H - M.top - M.bottom));

  const lines = series.map((s) => {
    const steps = [...s.intervals].sort((a, b) => a.from.localeCompare(b.from));
    let d = '';
    steps.forEach((step, i) => {
      const joined = i > 0 && steps[i - 1].to === step.from;
      d += joined ? ` V${y(step.value)}` : ` M${x(step.from)} ${y(step.value)}`;
      d += ` H${x(step.to)}`;
    });
    const dots = steps.map(
      (step) =>
        html`<circle cx="${x(step.from)}" cy="${y(step.value)}" r="3.5" fill="${s.color}"><title>${s.name}: ${formatUsd(step.value)} from ${step.from.slice(0, 10)}${step.to ? ` to ${step.to.slice(0, 10)}` : ''}</title></circle>`,
    );
    return html`<path d="${d.trim()}" fill="none" stroke="${s.color}" stroke-width="2"/>${dots}`;
  });

  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((share) => share * yMax).map(
    (v) => html`<line x1="${M.left}" x2="${W - M.right}" y1="${y(v)}" y2="${y(v)}" stroke="#e3e3e3"/><text x="${M.left - 6}" y="${y(v) + 4}" text-anchor="end">${formatUsd(v)}</text>`,
  );
  const dates = pick([...new Set(all.map((i) => i.from.slice(0, 10)))].sort(), 6);
  const xTicks = dates.map((d) => html`<text x="${x(`${d}T00:00:00.000Z`)}" y="${H - M.bottom + 16}" text-anchor="middle">${d}</text>`);
  const legend = series.map(
    (s, i) => html`<line x1="${M.left + i * 130}" x2="${M.left + i * 130 + 18}" y1="12" y2="12" stroke="${s.color}" stroke-width="2"/><text x="${M.left + i * 130 + 24}" y="16">${s.name}</text>`,
  );
  return html`<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${options.title}" font-size="11" font-family="sans-serif">
<title>${options.title}</title>${yTicks}<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#888"/>${xTicks}${legend}${lines}</svg>`;
}
