import type { ModelCandidate, ModelRecord } from '../schema/model.ts';
import { displayName, displayNameRank } from '../normalize/identity.ts';
import type { ModelLink } from '../normalize/links.ts';
import type { LedgerDb } from './db.ts';
import { column, json, toModelCandidate, toModelRecord, type Row } from './rows.ts';

/** The models the ledger knows, the names sources print for them, and new-model candidates. */
export class ModelStore {
  constructor(private readonly db: LedgerDb) {}

  /** Records a model; its display name is replaced only by a better one (see displayNameRank). */
  upsert(model: ModelRecord, at: string): void {
    const name = displayName(model.name);
    const current = this.db.sql('SELECT name FROM models WHERE id = ?').get(model.id) as Row | undefined;
    if (!current) {
      this.db
        .sql('INSERT INTO models (id, name, provider, family, version, first_seen) VALUES (?, ?, ?, ?, ?, ?)')
        .run(model.id, name, model.provider, model.family, model.version, at);
    } else if (displayNameRank(name) > displayNameRank(current.name as string)) {
      this.db.sql('UPDATE models SET name = ? WHERE id = ?').run(name, model.id);
    }
  }

  addAlias(alias: string, modelId: string, sourceId: string): void {
    this.db.sql('INSERT OR IGNORE INTO aliases (alias, model_id, source_id) VALUES (?, ?, ?)').run(alias, modelId, sourceId);
  }

  list(): ModelRecord[] {
    return (this.db.sql('SELECT id, name, provider, family, version FROM models ORDER BY id').all() as Row[]).map(toModelRecord);
  }

  aliasesOf(modelId: string): string[] {
    return column<string>(this.db.sql('SELECT DISTINCT alias FROM aliases WHERE model_id = ? ORDER BY alias').all(modelId), 'alias');
  }

  /** An alias was accepted: the names printed for `from` now name `to`, and `from` is no model of its own. */
  merge(from: string, to: string, at: string): void {
    this.db.transaction(() => {
      const row = this.db.sql('SELECT * FROM models WHERE id = ?').get(from) as Row | undefined;
      if (!row) return;
      const source = toModelRecord(row);
      this.upsert({ id: to, name: source.name, provider: to.split('/')[0], family: source.family, version: source.version }, at);
      this.db.sql('INSERT OR IGNORE INTO aliases (alias, model_id, source_id) SELECT alias, ?, source_id FROM aliases WHERE model_id = ?').run(to, from);
      this.db.sql('DELETE FROM aliases WHERE model_id = ?').run(from);
      this.db.sql('DELETE FROM models WHERE id = ?').run(from);
    });
  }

  /** Whether the ledger knows this id: a model a source named, or one claims were aliased onto. */
  has(id: string): boolean {
    return Boolean(this.db.sql('SELECT 1 FROM models WHERE id = ?').get(id) ?? this.db.sql('SELECT 1 FROM facts WHERE model = ? LIMIT 1').get(id));
  }

  /** Ids whose model part is exactly `slug` ("qwen3.5-9b" -> qwen/qwen3.5-9b), for names typed without a provider. */
  idsEndingWith(slug: string): string[] {
    return column<string>(this.db.sql(`SELECT id FROM models WHERE id LIKE '%/' || ? ORDER BY id`).all(slug), 'id');
  }

  /** The models a canonical id or a printed name names. */
  find(name: string): string[] {
    const byId = this.db.sql('SELECT id FROM models WHERE id = ?').get(name.toLowerCase()) as Row | undefined;
    if (byId) return [byId.id as string];
    return column<string>(this.db.sql('SELECT DISTINCT model_id FROM aliases WHERE lower(alias) = lower(?) ORDER BY model_id').all(name), 'model_id');
  }

  /** Replaces the identity links of the last reconciliation. */
  replaceLinks(links: Iterable<ModelLink>): void {
    this.db.sql('DELETE FROM model_links').run();
    const insert = this.db.sql('INSERT INTO model_links (alias, model_id, evidence, detail, route) VALUES (?, ?, ?, ?, ?)');
    for (const l of links) insert.run(l.alias, l.model, l.evidence, l.detail, l.route ?? null);
  }

  /** Every identity link of the last reconciliation: the id a claim carried -> the model (and route) it was reconciled under. */
  links(): Map<string, { model: string; route?: string }> {
    const rows = this.db.sql('SELECT alias, model_id, route FROM model_links').all() as Row[];
    return new Map(rows.map((r) => [r.alias as string, { model: r.model_id as string, ...(r.route ? { route: r.route as string } : {}) }]));
  }

  /** The other ids a model's claims were named by, each with the evidence for the link. */
  linksOf(modelId: string): Array<{ id: string; evidence: string; detail: string; route?: string }> {
    return (this.db.sql('SELECT alias, evidence, detail, route FROM model_links WHERE model_id = ? ORDER BY alias').all(modelId) as Row[]).map((r) => ({
      id: r.alias as string,
      evidence: r.evidence as string,
      detail: r.detail as string,
      ...(r.route ? { route: r.route as string } : {}),
    }));
  }

  addCandidate(c: Pick<ModelCandidate, 'model_id' | 'name' | 'source_id' | 'first_seen' | 'proposals'>): void {
    this.db
      .sql('INSERT OR IGNORE INTO model_candidates (model_id, name, source_id, first_seen, proposals) VALUES (?, ?, ?, ?, ?)')
      .run(c.model_id, c.name, c.source_id, c.first_seen, json(c.proposals));
  }

  /** How many new-model candidates are in each status: moves with every identity decision. */
  candidateTally(): Row[] {
    return this.db.sql('SELECT status, COUNT(*) AS n FROM model_candidates GROUP BY status ORDER BY status').all() as Row[];
  }

  candidates(status?: ModelCandidate['status']): ModelCandidate[] {
    return (
      this.db.sql('SELECT * FROM model_candidates WHERE (? IS NULL OR status = ?) ORDER BY first_seen, model_id').all(status ?? null, status ?? null) as Row[]
    ).map(toModelCandidate);
  }

  /** Approving a change of a model nobody had confirmed yet confirms it as a new model. */
  confirmNew(modelId: string, by: string, at: string, decision: string): void {
    this.db
      .sql(`UPDATE model_candidates SET status = 'new', decided_by = ?, decided_at = ?, decision = ? WHERE model_id = ? AND status = 'pending'`)
      .run(by, at, decision, modelId);
  }

  /** Settles a candidate still pending; a reviewer's decision stands. */
  settleCandidate(modelId: string, status: 'new' | 'alias', by: string, at: string, decision: string): void {
    this.db
      .sql(`UPDATE model_candidates SET status = ?, decided_by = ?, decided_at = ?, decision = ? WHERE model_id = ? AND status = 'pending'`)
      .run(status, by, at, decision, modelId);
  }

  decideCandidate(modelId: string, status: 'new' | 'alias' | 'distinct', by: string, at: string, decision: string): number {
    return this.db
      .sql('UPDATE model_candidates SET status = ?, decided_by = ?, decided_at = ?, decision = ? WHERE model_id = ?')
      .run(status, by, at, decision, modelId).changes;
  }
}
