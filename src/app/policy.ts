import { existsSync } from 'node:fs';
import { usageError } from '../errors.ts';
import { autoApprovals, NO_POLICY, parsePolicy, type AutoApproval, type Policy } from '../review/policy.ts';
import { approveChanges } from '../review/decide.ts';
import type { Ledger } from '../store/ledger.ts';
import { triageLedger } from './review.ts';
import { readInputFile } from './input-file.ts';
import { journalOf, sourcesOf, type Workspace } from './workspace.ts';

export const POLICY_FILE = 'review-policy.yaml';

/**
 * The review policy: the file named (or $MODEL_LEDGER_POLICY), else review-policy.yaml in the
 * current directory (the data repository) when there is one, else none: every change is manual.
 * `false` (`--no-policy`) is none whatever the environment and the directory hold; an empty name
 * is a mistake (a variable meant to hold the path was unset), not a wish for the default.
 */
export function loadPolicy(file?: string | false): Policy {
  if (file === false) return NO_POLICY;
  if (file === '') throw usageError('--policy is empty: give a file, or --no-policy for none');
  const named = file ?? process.env.MODEL_LEDGER_POLICY;
  if (named) return parsePolicy(readInputFile(named), named);
  return existsSync(POLICY_FILE) ? parsePolicy(readInputFile(POLICY_FILE), POLICY_FILE) : NO_POLICY;
}

/**
 * Approves what the policy's rules approve, each change as its rule (reviewer `policy:RULE`, the
 * rule's reason as the note), recorded in the audit log, the history and the journal like any
 * approval; all in one transaction.
 */
export function applyPolicy(ledger: Ledger, ws: Workspace, policy: Policy, at = new Date().toISOString()): AutoApproval[] {
  if (policy.rules.length === 0) return [];
  const pending = ledger.changes.list({ status: 'pending' });
  const chosen = autoApprovals(policy, triageLedger(ledger, pending, policy.large_move_pct).changes);
  const sources = sourcesOf(ws);
  const journal = journalOf(ws, ledger);
  ledger.transaction(() => {
    for (const a of chosen) approveChanges(ledger, [a.change.id], { reviewer: `policy:${a.rule}`, rule: a.rule, note: a.why, at }, sources, journal);
  });
  return chosen;
}

export function countByRule(approved: AutoApproval[]): Array<{ rule: string; count: number }> {
  const counts = new Map<string, number>();
  for (const a of approved) counts.set(a.rule, (counts.get(a.rule) ?? 0) + 1);
  return [...counts].map(([rule, count]) => ({ rule, count })).sort((a, b) => a.rule.localeCompare(b.rule));
}
