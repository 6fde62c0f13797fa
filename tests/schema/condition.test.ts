import { describe, expect, it } from 'vitest';
import { canonicalCondition, condition, ConditionSchema, joinConditions, parseCondition, routeOf, withoutRoute } from '../../src/schema/condition.ts';

describe('the condition grammar', () => {
  it('joins parts in one canonical order, whatever order they were built in', () => {
    const a = joinConditions(condition.route('azure'), condition.context(200_000), condition.tier('flex'));
    const b = joinConditions(condition.tier('flex'), '', null, `${condition.context(200_000)};${condition.route('azure')}`);
    expect(a).toBe('context>200000;route:azure;tier:flex');
    expect(b).toBe(a);
    expect(joinConditions(condition.cacheTtl('1h'), condition.cacheTtl('1h'))).toBe('cache_ttl:1h');
    expect(canonicalCondition(' tier:flex ; context>128000')).toBe('context>128000;tier:flex');
  });

  it('parses what it builds', () => {
    const text = joinConditions(condition.route('azure/eu'), condition.context(200_000), condition.cacheTtl('1h'), condition.from('2026-08-01'));
    expect(parseCondition(text)).toEqual([
      { kind: 'cache_ttl', ttl: '1h' },
      { kind: 'context', above: 200000 },
      { kind: 'from', date: '2026-08-01' },
      { kind: 'route', name: 'azure/eu' },
    ]);
    expect(routeOf(text)).toBe('azure/eu');
    expect(withoutRoute(text)).toBe('cache_ttl:1h;context>200000;from:2026-08-01');
    expect(parseCondition('')).toEqual([]);
    expect(parseCondition('region:eu')).toEqual([{ kind: 'other', text: 'region:eu' }]);
  });

  it('reads a known head with a value outside its grammar as no part of it, so no exporter takes it for a route', () => {
    for (const text of ['route:', 'route:AZURE', 'route:azure/', 'route:/', 'tier:', 'cache_ttl:soon', 'context>0', 'from:2026-02-30', 'from:2026-2-3']) {
      expect(parseCondition(text), text).toEqual([{ kind: 'other', text }]);
    }
    expect(routeOf('route:')).toBeNull();
    expect(withoutRoute('route:;tier:flex')).toBe('route:;tier:flex');
  });

  it('refuses a stored condition that is not canonical', () => {
    expect(ConditionSchema.safeParse('context>200000;tier:flex').success).toBe(true);
    expect(ConditionSchema.safeParse('tier:flex;context>200000').success).toBe(false);
  });
});
