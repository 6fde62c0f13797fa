import { basename } from 'node:path';
import { extractDocument, type ExtractOptions } from '../extract/registry.ts';
import type { ExtractResult } from '../schema/claim.ts';
import { readInputPage } from './input-file.ts';

/** The claims a file yields, without touching a ledger. */
export function extractFile(file: string, options: Omit<ExtractOptions, 'filename' | 'source'> = {}): ExtractResult {
  const format = options.format && options.format !== 'auto' ? options.format : null;
  return extractDocument(readInputPage(file, format), { ...options, filename: basename(file) });
}
