import type { ExtractResult } from '../schema/claim.ts';
import type { Source, SourceFormat } from '../schema/source.ts';

/** What an extractor reads: the raw body plus the little it needs to know of its source. */
export interface ExtractInput {
  body: string;
  format: SourceFormat;
  /** Provider for bare model names (first-party pages); identity inference otherwise. */
  provider?: string;
  source?: Pick<Source, 'id' | 'kind' | 'expect'>;
  /** When the body was captured (ISO): a file of dated prices is read as of that day. */
  observedAt?: string;
}

/** A pure function: the same input always yields the same claims. No I/O. */
export type Extractor = (input: ExtractInput) => ExtractResult;
