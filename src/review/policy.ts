/**
 * Review policies (review-policy.yaml in the data repository): rules that approve routine changes
 * without a human, each saying why. Pure: the text is parsed and the queue judged here; the use
 * case reads the file and records each approval like any other, with the rule that made it.
 *
 * Never auto-approved, whatever a rule says: a disputed figure, a removal, a price move beyond the
 * triage bound or the rule's own, and a new model's figure. Only the `routine` group is judged.
 */
import { createRequire } from 'node:module';
import type { LineCounter, Node } from 'yaml';
import { z } from 'zod';
import { inputError } from '../errors.ts';
import type { Change } from '../schema/change.ts';
import { FIELDS, FIELD_NAMES } from '../schema/fields.ts';
import { priceMovePct, type TriagedChange } from './triage.ts';

/** yaml, required when a policy is read: the commands that apply none never load it (~30 ms). */
const yaml = (): typeof import('yaml') => createRequire(import.meta.url)('yaml');

const Common = {
  /** A label for the audit log and the journal (default: the rule's kind). */
  name: z.string().regex(/^[a-z0-9][a-z0-9:._-]*$/, 'a rule name is lower-case letters, digits and - _ . :').optional(),
  /** Only these fields (default: every field the rule applies to). */
  fields: z.array(z.enum(FIELD_NAMES)).optional(),
  /** Only models of these providers. */
  providers: z.array(z.string().min(1)).optional(),
};

export const PolicyRuleSchema = z.discriminatedUnion('rule', [
  z.object({ rule: z.literal('first-party-agreed'), ...Common, min_sources: z.number().int().min(1).default(2) }).strict(),
  z.object({ rule: z.literal('small-move'), ...Common, max_move_pct: z.number().positive().max(100), min_sources: z.number().int().min(1).default(2) }).strict(),
  z.object({ rule: z.literal('flag-agreed'), ...Common, min_sources: z.number().int().min(1).default(2) }).strict(),
]);
export type PolicyRule = z.infer<typeof PolicyRuleSchema>;

export const PolicySchema = z
  .object({
    /** The triage bound: a price move beyond this many percent is a large move (default 10). */
    large_move_pct: z.number().positive().optional(),
    rules: z.array(PolicyRuleSchema).default([]),
  })
  .strict();
export type Policy = z.infer<typeof PolicySchema>;

export const NO_POLICY: Policy = { rules: [] };

/** Parses a policy file; a malformed one is an input error naming the file and line. */
export function parsePolicy(text: string, where = 'review-policy.yaml'): Policy {
  const { LineCounter, parseDocument } = yaml();
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw inputError(`${where}:${lines.linePos(e.pos[0]).line}: not valid YAML: ${e.message.split('\n')[0]}`);
  }
  const parsed = PolicySchema.safeParse(doc.toJS() ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const line = lineOf(doc.contents as Node | null, issue.path as Array<string | number>, lines);
  throw inputError(`${where}:${line}: ${issue.path.join('.') || 'top level'}: ${issue.message}`);
}

/** The line of the deepest node on `path` that exists (a missing key points at its parent). */
function lineOf(root: Node | null, path: Array<string | number>, lines: LineCounter): number {
  const { isMap, isSeq } = yaml();
  let node: Node | null = root;
  let found = root;
  for (const key of path) {
    if (isMap(node)) node = (node.get(key, true) as Node | undefined) ?? null;
    else if (isSeq(node)) node = (node.get(Number(key), true) as Node | undefined) ?? null;
    else node = null;
    if (!node) break;
    found = node;
  }
  return found?.range ? lines.linePos(found.range[0]).line : 1;
}

export interface AutoApproval {
  change: Change;
  /** The rule's name, as the audit log and the journal record it. */
  rule: string;
  why: string;
}

/** The sources whose vote carried the value: a source stating two values at once has no vote, and confirms nothing. */
const supporters = (c: Change) => [...new Set((c.fact?.claims ?? []).filter((x) => x.supports && x.weight > 0).map((x) => x.source_id))];
const allAgree = (c: Change) => (c.fact?.claims ?? []).length > 0 && c.fact!.claims.every((x) => x.supports);

/** Why `rule` approves the change, or null. Only routine changes ever reach a rule. */
export function ruleApproves(rule: PolicyRule, c: TriagedChange): string | null {
  if (c.group !== 'routine' || c.kind === 'removed' || !c.fact || c.fact.status === 'disputed' || c.new_value === null) return null;
  if (rule.fields && !rule.fields.includes(c.field)) return null;
  if (rule.providers && !rule.providers.includes(c.model.split('/')[0])) return null;
  const from = supporters(c);
  switch (rule.rule) {
    case 'first-party-agreed': {
      const firstParty = c.fact.claims.filter((x) => x.supports && x.source_kind === 'first-party').map((x) => x.source_id);
      if (c.fact.status !== 'agreed' || !allAgree(c) || firstParty.length === 0 || from.length < rule.min_sources) return null;
      return `first-party ${[...new Set(firstParty)].sort().join(', ')} says ${String(c.new_value)}; all ${from.length} sources agree`;
    }
    case 'small-move': {
      const move = priceMovePct(c);
      if (move === null || Math.abs(move) > rule.max_move_pct || from.length < rule.min_sources) return null;
      // Confirmed and disputed by none: a figure that won a vote (resolved) has a source against it.
      if (c.fact.status !== 'agreed' || !allAgree(c)) return null;
      return `price moved ${move > 0 ? '+' : ''}${move.toFixed(2)}% (bound ${rule.max_move_pct}%), confirmed by ${from.length} sources: ${from.sort().join(', ')}`;
    }
    case 'flag-agreed': {
      if (FIELDS[c.field].kind !== 'boolean' || c.fact.status !== 'agreed' || !allAgree(c) || from.length < rule.min_sources) return null;
      return `${c.field} = ${String(c.new_value)} agreed by all ${from.length} sources`;
    }
  }
}

/** The changes the policy approves, each with the first rule that does and why; in queue order. */
export function autoApprovals(policy: Policy, triaged: TriagedChange[]): AutoApproval[] {
  const out: AutoApproval[] = [];
  for (const c of triaged) {
    for (const rule of policy.rules) {
      const why = ruleApproves(rule, c);
      if (why !== null) {
        out.push({ change: c, rule: rule.name ?? rule.rule, why });
        break;
      }
    }
  }
  return out;
}
