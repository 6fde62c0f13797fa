import { describe, expect, it } from 'vitest';
import { parseToml, TomlError } from '../../scripts/toml.ts';

describe('TOML reader', () => {
  it('reads a models.dev model file: scalars, dates as strings, underscores in numbers, tables', () => {
    const doc = parseToml(`name = "GPT-5.2"
family = "gpt"
release_date = "2025-12-11"
attachment = true
temperature = false
reasoning_options = [{ type = "effort", values = ["none", "low", "high"] }]

[cost]
input = 1.75
output = 14.00
cache_read = 0.175

[limit]
context = 400_000
input = 272_000
output = 128_000

[modalities]
input = ["text", "image"]
output = ["text"]
`);
    expect(doc).toEqual({
      name: 'GPT-5.2',
      family: 'gpt',
      release_date: '2025-12-11',
      attachment: true,
      temperature: false,
      reasoning_options: [{ type: 'effort', values: ['none', 'low', 'high'] }],
      cost: { input: 1.75, output: 14, cache_read: 0.175 },
      limit: { context: 400000, input: 272000, output: 128000 },
      modalities: { input: ['text', 'image'], output: ['text'] },
    });
  });

  it('reads arrays of tables, inline tables inside them, and indented headers', () => {
    const doc = parseToml(`[cost]
input = 2.50
output = 15.00

[[cost.tiers]]
tier = { type = "context", size = 272_000 }
input = 5.00
output = 22.50

  [[reasoning_options]]
  type = "budget_tokens"
  min = 1_024
`);
    expect(doc).toEqual({
      cost: { input: 2.5, output: 15, tiers: [{ tier: { type: 'context', size: 272000 }, input: 5, output: 22.5 }] },
      reasoning_options: [{ type: 'budget_tokens', min: 1024 }],
    });
  });

  it('reads sub-tables of an array-of-tables element and dotted keys', () => {
    const doc = parseToml(`[[a]]
x = 1
[a.b]
y = 2
[[a]]
x = 3
site.url = "https://example.test/#/docs"
"quoted key" = 'C:\\path'
`);
    expect(doc).toEqual({ a: [{ x: 1, b: { y: 2 } }, { x: 3, site: { url: 'https://example.test/#/docs' }, 'quoted key': 'C:\\path' }] });
  });

  it('skips comments, keeps # inside strings, and reads multi-line arrays with trailing commas', () => {
    const doc = parseToml(`# Source: https://example.test/pricing
# knowledge = "2025-04" # not listed
doc = "https://platform.example/#/docs" # trailing comment
omit = [
  "cost.context_over_200k", # the legacy tier
  "limit.input",
]
`);
    expect(doc).toEqual({ doc: 'https://platform.example/#/docs', omit: ['cost.context_over_200k', 'limit.input'] });
  });

  it('reads escapes, multi-line strings and the other number forms', () => {
    const doc = parseToml(`a = "tab\\tquote\\" \\u00e9"
b = """
line one
line two"""
c = '''raw \\n'''
d = 0x1F
e = -5e-3
f = +inf
g = 1979-05-27T07:32:00Z
`);
    expect(doc).toEqual({ a: 'tab\tquote" é', b: 'line one\nline two', c: 'raw \\n', d: 31, e: -0.005, f: Infinity, g: '1979-05-27T07:32:00Z' });
  });

  it('refuses what it cannot read, naming the line', () => {
    expect(() => parseToml('a = 1\nb = \n')).toThrow(TomlError);
    expect(() => parseToml('a = 1\nb = 2\na = 3\n')).toThrow(/line 3: duplicate key "a"/);
    expect(() => parseToml('[t]\nx = 1\n[t]\ny = 2\n')).toThrow(/defined twice/);
    expect(() => parseToml('x = "open\n')).toThrow(/unterminated string/);
    expect(() => parseToml('x = 1 2\n')).toThrow(/after a value/);
    expect(() => parseToml('x = nope\n')).toThrow(/not a TOML value/);
    expect(() => parseToml('x = [1, 2\n')).toThrow(/array/);
  });
});
