import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ExtractedClaim } from '../../src/schema/claim.ts';

export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../fixtures/extract/${name}`, import.meta.url)), 'utf8');
}

/** The values claimed for (model, field, condition), sorted, anomalies excluded. */
export function valuesOf(claims: readonly ExtractedClaim[], model: string, field: string, condition = ''): unknown[] {
  return claims
    .filter((c) => c.model === model && c.field === field && c.condition === condition && !c.anomaly)
    .map((c) => c.value)
    .sort();
}

export function claimOf(claims: readonly ExtractedClaim[], model: string, field: string, condition = ''): ExtractedClaim {
  const found = claims.filter((c) => c.model === model && c.field === field && c.condition === condition);
  if (found.length !== 1) throw new Error(`expected one ${model} ${field} [${condition}] claim, found ${found.length}`);
  return found[0];
}
