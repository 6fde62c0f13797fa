/** Claims interned to integers for the truth-discovery core: flat typed arrays, no per-claim objects. */

import { KEY_SEP } from '../schema/key.ts';

/** Joins entity, field and condition into an item key (itemKeys entries): the ledger's one key encoding. */
export const ITEM_SEP = KEY_SEP;

/** An append-only typed array that doubles when full. */
export class Growable<T extends Int32Array | Float64Array> {
  data: T;
  length = 0;
  constructor(private readonly make: (size: number) => T) {
    this.data = make(1024);
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

export const growableInt = () => new Growable((n) => new Int32Array(n));
export const growableFloat = () => new Growable((n) => new Float64Array(n));

/**
 * Claims interned to integers. Items, sources and values get dense ids in order of first sight;
 * a value id is local to its item (the same key on two items is two values).
 */
export class ClaimTable {
  readonly itemKeys: string[] = [];
  readonly sourceKeys: string[] = [];
  readonly valueKeys: string[] = [];
  readonly valueItem = growableInt();
  /** Per item: its field's id, so learning can tell fields apart (groupKeys[id] is the field). */
  readonly itemGroup = growableInt();
  readonly groupKeys: string[] = [];
  private readonly groupIndex = new Map<string, number>();
  private readonly itemTree = new Map<string, Map<string, number>>();
  private readonly sourceIndex = new Map<string, number>();
  private readonly firstValue = growableInt();
  private readonly nextValue = growableInt();
  readonly claimItem = growableInt();
  readonly claimSource = growableInt();
  readonly claimValue = growableInt();
  readonly claimObserved = growableFloat();
  readonly claimConfidence = growableFloat();
  /** 1 when the claim is excluded from voting (an anomaly): listed, never counted. */
  readonly claimExcluded = growableInt();

  get claimCount(): number {
    return this.claimItem.length;
  }

  /**
   * The item of (entity, field, condition). A map per entity looks up the caller's own strings,
   * whose hashes are cached, instead of hashing a freshly joined key for every claim.
   */
  itemOf(entity: string, field: string, condition: string): number {
    let byField = this.itemTree.get(entity);
    if (!byField) this.itemTree.set(entity, (byField = new Map()));
    const local = condition ? field + ITEM_SEP + condition : field;
    let id = byField.get(local);
    if (id === undefined) {
      // New to the tree, so new to the table: no key contains the separator (claims files refuse NUL).
      id = this.itemKeys.push(entity + ITEM_SEP + field + ITEM_SEP + condition) - 1;
      byField.set(local, id);
      this.itemGroup.push(intern(this.groupIndex, this.groupKeys, field));
    }
    return id;
  }

  sourceId(key: string): number {
    return intern(this.sourceIndex, this.sourceKeys, key);
  }

  /** An item has few distinct values: a per-item chain is cheaper than one map of scoped keys. */
  valueId(item: number, key: string): number {
    const found = this.findValue(item, key);
    if (found >= 0) return found;
    const id = this.valueKeys.length;
    this.valueKeys.push(key);
    this.valueItem.push(item);
    while (this.firstValue.length <= item) this.firstValue.push(-1);
    this.nextValue.push(this.firstValue.data[item]);
    this.firstValue.data[item] = id;
    return id;
  }

  findValue(item: number, key: string): number {
    if (item >= this.firstValue.length) return -1;
    for (let v = this.firstValue.data[item]; v >= 0; v = this.nextValue.data[v]) if (this.valueKeys[v] === key) return v;
    return -1;
  }

  /** Returns the claim's index. `observedMs` is NaN when unknown. */
  add(item: number, source: number, valueKey: string, observedMs: number, confidence: number, excluded: boolean): number {
    this.claimItem.push(item);
    this.claimSource.push(source);
    this.claimValue.push(this.valueId(item, valueKey));
    this.claimObserved.push(observedMs);
    this.claimConfidence.push(confidence);
    this.claimExcluded.push(excluded ? 1 : 0);
    return this.claimItem.length - 1;
  }
}

function intern(index: Map<string, number>, keys: string[], key: string): number {
  let id = index.get(key);
  if (id === undefined) {
    id = keys.length;
    keys.push(key);
    index.set(key, id);
  }
  return id;
}

/** True when a claim of value `a` supports a winner `w`: the same value, or a coarser one containing it. */
export function compatible(a: number, w: number, parent: Int32Array): boolean {
  for (let v = w; v >= 0; v = parent[v]) if (v === a) return true;
  return false;
}

