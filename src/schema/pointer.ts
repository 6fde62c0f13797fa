/** JSON Pointer reference tokens (RFC 6901), as claims' locators in JSON sources spell them. */

/** One reference token with "~" and "/" escaped. */
export function escapePointer(key: string | number): string {
  const token = String(key);
  // Most keys need no escaping: skip the two regex passes (this runs per entry on big files).
  if (!token.includes('~') && !token.includes('/')) return token;
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** One reference token as the key it names. */
export function unescapePointer(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}
