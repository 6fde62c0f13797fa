/**
 * `compute`, remembered per key. Extractors meet the same few hundred names, labels and keys on
 * every page of a sync; past `limit` keys the memory starts afresh, so a long run cannot grow it
 * without end.
 */
export function memoize<V>(compute: (key: string) => V, limit = 10_000): (key: string) => V {
  const memory = new Map<string, V>();
  return (key) => {
    const known = memory.get(key);
    // One lookup when the value is remembered; a second only to tell a remembered undefined from none.
    if (known !== undefined || memory.has(key)) return known as V;
    const value = compute(key);
    if (memory.size >= limit) memory.clear();
    memory.set(key, value);
    return value;
  };
}
