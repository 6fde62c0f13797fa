import { basename } from 'node:path';
import { extractDocument, type ExtractOptions } from '../extract/registry.ts';
import type { ExtractResult } from '../schema/claim.ts';
import { readInputFile } from './input-file.ts';

/** The claims a file yields, without touching a ledger. */
export function extractFile(file: string, options: Omit<ExtractOptions, 'filename' | 'source'> = {}): ExtractResult {
  return extractDocument(readInputFile(file), { ...options, filename: basename(file) });
}
