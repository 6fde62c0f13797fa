/**
 * The reconciler over generic records: any entity, any field name, string values. This is what
 * `model-ledger reconcile --claims FILE` and the truth-discovery eval run; the ledger's own
 * claims go through reconcile() in index.ts, on the same core.
 */
import { valueKey as defaultValueKey, type PlainValue } from './equivalence.ts';
import {
  reliabilityOf,
  representativeClaim,
  round,
  runTruth,
  type ClaimReader,
  type SourcePrior,
  type SourceReliability,
} from './run.ts';
import { RULE_NAMES, STATUS_NAMES, compatible, type TruthOptions } from './truth.ts';

export interface ClaimRecord {
  entity: string;
  field: string;
  value: PlainValue;
  source: string;
  condition?: string;
  /** ISO date or time; newer claims count more. */
  observed_at?: string;
  /** The reader's own certainty, default 1. */
  confidence?: number;
}

export interface RecordsOptions {
  /** Priors; sources not listed get the neutral prior and rank equally. */
  sources?: SourcePrior[];
  /** The equivalence key of a value (default: per-field rules of equivalence.ts). */
  valueKey?: (field: string, value: PlainValue) => string;
  truth?: TruthOptions;
}

export interface ChosenValue {
  entity: string;
  field: string;
  condition: string;
  value: PlainValue;
  status: (typeof STATUS_NAMES)[number];
  confidence: number;
  rule: (typeof RULE_NAMES)[number];
  /** Share of the weight of the stated values the winner holds. */
  share: number;
  /** Sources whose counted claim supports the value. */
  sources: string[];
  /** Counted claims against it. */
  dissent: Array<{ source: string; value: PlainValue }>;
}

export interface RecordsResult {
  chosen: ChosenValue[];
  reliability: SourceReliability[];
  iterations: number;
}

const RECORD_READER: ClaimReader<ClaimRecord> = {
  entity: (r) => r.entity,
  field: (r) => r.field,
  condition: (r) => r.condition ?? '',
  value: (r) => r.value,
  source: (r) => r.source,
  observedAt: (r) => r.observed_at ?? '',
  confidence: (r) => r.confidence ?? 1,
  excluded: () => false,
};

/** One chosen value per (entity, field, condition), sorted by entity, field, condition. */
export function reconcileRecords(records: readonly ClaimRecord[], options: RecordsOptions = {}): RecordsResult {
  const run = runTruth(records, RECORD_READER, options.sources ?? [], options.valueKey ?? defaultValueKey, options.truth);
  const { table, truth } = run;
  const chosen: ChosenValue[] = [];
  for (let i = 0; i < table.itemKeys.length; i++) {
    const winner = truth.winner[i];
    if (winner < 0) continue;
    const sources: string[] = [];
    const dissent: ChosenValue['dissent'] = [];
    for (let k = truth.itemStart[i]; k < truth.itemStart[i + 1]; k++) {
      const c = truth.claimOrder[k];
      if (!truth.claimIsVote[c]) continue;
      const record = records[c];
      if (compatible(table.claimValue.data[c], winner, truth.valueParent)) sources.push(record.source);
      else dissent.push({ source: record.source, value: record.value });
    }
    const first = records[truth.claimOrder[truth.itemStart[i]]];
    chosen.push({
      entity: first.entity,
      field: first.field,
      condition: first.condition ?? '',
      value: records[representativeClaim(run, i, winner)].value,
      status: STATUS_NAMES[truth.status[i]],
      confidence: round(truth.confidence[i], 4),
      rule: RULE_NAMES[truth.rule[i]],
      share: round(truth.share[i], 4),
      sources: sources.sort(),
      dissent: dissent.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0)),
    });
  }
  chosen.sort(compareChosen);
  return { chosen, reliability: reliabilityOf(run), iterations: truth.iterations };
}

function compareChosen(a: ChosenValue, b: ChosenValue): number {
  if (a.entity !== b.entity) return a.entity < b.entity ? -1 : 1;
  if (a.field !== b.field) return a.field < b.field ? -1 : 1;
  if (a.condition !== b.condition) return a.condition < b.condition ? -1 : 1;
  return 0;
}
