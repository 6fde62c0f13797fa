import { describe, expect, it } from 'vitest';
import { closestNames, didYouMean } from '../../src/normalize/suggest.ts';
import { FIELD_NAMES } from '../../src/schema/fields.ts';

describe('did you mean', () => {
  const ids = ['openai/gpt-5.2-codex', 'openai/gpt-5.2', 'openai/gpt-5.1-codex', 'anthropic/claude-sonnet-4.5', 'anthropic/claude-opus-4.1'];

  it('offers the known names a few edits away, closest first', () => {
    expect(closestNames('openai/gpt5.2-codex', ids)[0]).toBe('openai/gpt-5.2-codex');
    expect(closestNames('anthropic/claude-sonet-4.5', ids)).toEqual(['anthropic/claude-sonnet-4.5']);
    expect(didYouMean('contextwindow', FIELD_NAMES)).toBe('; did you mean context_window?');
    expect(didYouMean('max_output_token', FIELD_NAMES)).toBe('; did you mean max_output_tokens?');
  });

  it('offers nothing for a name unlike any known one', () => {
    expect(closestNames('totally-different-thing', ids)).toEqual([]);
    expect(didYouMean('bogus', FIELD_NAMES)).toBe('');
  });
});
