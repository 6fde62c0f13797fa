/**
 * The identity of a figure: (model, field, condition). One encoding for the whole ledger, so the
 * reconciler, the differ and the store key their maps alike.
 */
export interface FieldKey {
  model: string;
  field: string;
  condition: string;
}

/** Separates the parts of a key; no model id, field name or condition contains it. */
export const KEY_SEP = '\u0000';

/** The key as one string usable in maps and sets. */
export function keyOf(k: FieldKey): string {
  return k.model + KEY_SEP + k.field + KEY_SEP + k.condition;
}

export function parseKey(key: string): FieldKey {
  const [model, field, condition] = key.split(KEY_SEP);
  return { model, field, condition };
}
