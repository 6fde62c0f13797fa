/** The desk's stylesheet and script, served from /assets/ so the page's CSP can forbid inline code. */

export const DESK_CSS = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1b1f24; background: #f6f7f9; }
header.top { display: flex; gap: 1.5em; align-items: baseline; padding: .6em 1.2em; background: #1b1f24; color: #eee; position: sticky; top: 0; z-index: 2; }
header.top a.brand { color: #fff; font-weight: 600; text-decoration: none; }
header.top .keys { margin-left: auto; color: #aaa; font-size: 12px; }
main { max-width: 1100px; margin: 0 auto; padding: 1em 1.2em 4em; }
form.filters { display: flex; gap: 1em; align-items: center; flex-wrap: wrap; margin: .5em 0; }
.count, .flash { color: #555; } .flash { background: #fff7d6; padding: .4em .6em; border-radius: 4px; }
section.group { margin: 1.4em 0; }
section.group h2 { font-size: 16px; margin: 0 0 .4em; } .model-id { color: #666; font-weight: normal; font-size: 12px; }
.via { color: #777; font-weight: normal; font-size: 12px; margin-left: .5em; }
article.change { background: #fff; border: 1px solid #dde1e6; border-left: 4px solid #dde1e6; border-radius: 4px; padding: .6em .8em; margin: .5em 0; }
article.change.selected { border-left-color: #1f6feb; box-shadow: 0 0 0 2px #1f6feb33; }
article.change[data-state="approved"] { border-left-color: #2da44e; opacity: .65; }
article.change[data-state="rejected"] { border-left-color: #cf222e; opacity: .65; }
.head { display: flex; gap: .6em; align-items: baseline; flex-wrap: wrap; }
.id { color: #888; } .cond { color: #8250df; } .observed { color: #888; font-size: 12px; } .state { font-weight: 600; }
.old { color: #777; } .new { color: #111; } .kind { font-size: 12px; padding: 0 .4em; border-radius: 3px; }
.kind.added { background: #dafbe1; } .kind.removed { background: #ffebe9; }
.move { font-weight: 600; } .move.up { color: #cf222e; } .move.down { color: #1a7f37; }
.status { font-size: 12px; padding: 0 .4em; border-radius: 3px; background: #eee; }
.status.agreed { background: #dafbe1; } .status.resolved { background: #ddf4ff; } .status.disputed { background: #fff1e5; } .status.overridden { background: #fbefff; }
nav.triage { display: flex; gap: .5em; flex-wrap: wrap; align-items: center; margin: .6em 0; }
nav.triage a.group { text-decoration: none; color: inherit; border: 1px solid #d0d7de; padding: .2em .6em; }
nav.triage a.group.chosen { outline: 2px solid #1b1f24; }
.group { font-size: 12px; padding: 0 .4em; border-radius: 3px; background: #eef1f4; }
.group.disputed { background: #ffd8d3; } .group.large-move { background: #fff1c2; } .group.removal { background: #ffebe9; }
.group.new-model { background: #ddf4ff; } .group.routine { background: #eef1f4; }
table.preview { border-collapse: collapse; margin-top: 1em; } table.preview td, table.preview th { padding: .2em .6em; border-bottom: 1px solid #e5e7eb; text-align: left; }
.conf { color: #666; font-size: 12px; } .why { color: #555; margin: .3em 0; font-size: 13px; }
.evidence { border-top: 1px dashed #e3e3e3; padding: .4em 0; } .evidence .claim { font-size: 13px; }
.for { color: #1a7f37; font-weight: 600; } .against { color: #cf222e; font-weight: 600; }
.snaps { font-size: 12px; color: #666; }
pre.diff { background: #f6f8fa; border: 1px solid #e3e3e3; padding: .4em; overflow-x: auto; font-size: 12px; max-height: 22em; }
pre.diff .line.added { background: #e6ffec; display: inline-block; min-width: 100%; }
pre.diff .line.removed { background: #ffebe9; display: inline-block; min-width: 100%; }
pre.diff mark { background: #ffd33d; } pre.diff .hunk { color: #8250df; }
form.decide { display: flex; gap: .5em; align-items: center; margin-top: .4em; }
form.decide input[name=note] { flex: 1; padding: .3em; }
button.approve { background: #2da44e; color: #fff; border: 0; padding: .35em .9em; border-radius: 4px; cursor: pointer; }
button.reject { background: #cf222e; color: #fff; border: 0; padding: .35em .9em; border-radius: 4px; cursor: pointer; }
.message { color: #cf222e; font-size: 12px; }
table { border-collapse: collapse; background: #fff; } td, th { border: 1px solid #dde1e6; padding: .25em .5em; text-align: left; }
.side-by-side { display: flex; gap: .6em; flex-wrap: wrap; }
.claim-card { background: #fff; border: 1px solid #dde1e6; border-top: 3px solid #2da44e; padding: .5em; min-width: 14em; max-width: 24em; }
.claim-card.against { border-top-color: #cf222e; } .claim-card .value { font-size: 18px; font-weight: 600; }
/* A quote or locator from a JSON capture can be one long unbroken word: wrap it inside its card. */
.claim-card, .evidence .claim { overflow-wrap: anywhere; }
svg.chart { background: #fff; border: 1px solid #dde1e6; }
.empty { color: #777; font-style: italic; }
`;

export const DESK_JS = `
(function () {
  'use strict';
  var current = null;
  function all() { return Array.prototype.slice.call(document.querySelectorAll('article.change')); }
  function select(row) {
    if (current) current.classList.remove('selected');
    current = row || null;
    if (current) { current.classList.add('selected'); current.scrollIntoView({ block: 'nearest' }); }
  }
  function move(step) {
    var rows = all();
    if (!rows.length) return;
    var i = rows.indexOf(current);
    select(rows[Math.min(rows.length - 1, Math.max(0, i < 0 ? 0 : i + step))]);
  }
  function nextPending(row) {
    var rows = all();
    for (var i = rows.indexOf(row) + 1; i < rows.length; i++) if (rows[i].dataset.state === 'pending') return rows[i];
    return row;
  }
  function say(row, text) { var m = row.querySelector('.message'); if (m) m.textContent = text; }
  function decide(row, action) {
    if (!row || row.dataset.state !== 'pending') return;
    var form = row.querySelector('form.decide');
    var note = form.elements.note;
    if (action === 'reject' && !note.value.trim()) {
      row.dataset.intent = 'reject';
      say(row, 'A rejection needs a reason: type it, then press Enter.');
      note.focus();
      return;
    }
    var body = new URLSearchParams(new FormData(form));
    body.set('action', action);
    // form.action would be the buttons named "action", not the URL
    fetch(form.getAttribute('action'), { method: 'POST', body: body, headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (res) { return res.json().then(function (data) { return { ok: res.ok, data: data }; }); })
      .then(function (r) {
        if (!r.ok) { say(row, r.data.error || 'failed'); return; }
        row.dataset.state = r.data.change.status;
        row.querySelector('.state').textContent = r.data.change.status + ' by ' + r.data.change.reviewer;
        form.querySelectorAll('button, input').forEach(function (el) { el.disabled = true; });
        say(row, '');
        if (document.activeElement) document.activeElement.blur();
        select(nextPending(row));
      })
      .catch(function (e) { say(row, String(e)); });
  }
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!form.classList || !form.classList.contains('decide')) return;
    e.preventDefault();
    var row = form.closest('article.change');
    select(row);
    decide(row, e.submitter && e.submitter.value === 'reject' ? 'reject' : 'approve');
  });
  document.addEventListener('keydown', function (e) {
    var t = e.target;
    if (t && t.matches && t.matches('input, select, textarea')) {
      if (e.key === 'Escape') t.blur();
      if (e.key === 'Enter' && t.name === 'note') {
        e.preventDefault();
        var row = t.closest('article.change');
        if (row && row.dataset.intent === 'reject') decide(row, 'reject');
      }
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'j') move(1);
    else if (e.key === 'k') move(-1);
    else if (e.key === 'a') { e.preventDefault(); decide(current, 'approve'); }
    else if (e.key === 'r') { e.preventDefault(); decide(current, 'reject'); }
  });
  document.addEventListener('click', function (e) {
    var row = e.target.closest && e.target.closest('article.change');
    if (row) select(row);
  });
  document.querySelectorAll('form.filters select').forEach(function (s) {
    s.addEventListener('change', function () { s.form.submit(); });
  });
  move(0);
})();
`;
