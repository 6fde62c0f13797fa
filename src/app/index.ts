/** The use cases: what the CLI, the library entry and the desk do, each a function over a workspace. */
export { workspace, withLedger, sourcesOf, aliasesOf, journalOf, type Workspace } from './workspace.ts';
export { syncLedger, ingestFile, reconcileNow, pointInTime, type SyncRequest, type SyncReport } from './sync.ts';
export { readInputFile } from './input-file.ts';
export { findModel, listModels, pendingCandidates, settleAlias, settleCandidates, type ModelListing, type AliasSettlement, type BulkSettlement } from './models.ts';
export { explainModel, modelHistory, fieldNamed } from './facts.ts';
export { pinValue, liftValue, parseFieldValue, type OverrideResult } from './overrides.ts';
export { listChanges, approve, reject, triageChanges, triageGroupNamed, type Selection } from './review.ts';
export { loadPolicy, applyPolicy, POLICY_FILE } from './policy.ts';
export { rebuildLedger, type RebuildResult } from './rebuild.ts';
export { sourceStatuses, type SourceStatus } from './sources.ts';
export { reconcileClaimsFile } from './claims-file.ts';
export { exportLedger, serveExport } from './export.ts';
export type { SourceProposal, ProposeSourceRequest, ExtractorTrial } from './propose-source.ts';

// `extract` and `sources add` run every extractor (and the latter the fetcher), whose parsers take
// ~0.2 s to load: imported when called, so the other commands start without them.
type ExtractFile = typeof import('./files.ts').extractFile;
type ProposeSource = typeof import('./propose-source.ts').proposeSource;

/** The claims a file yields, without touching a ledger. */
export async function extractFile(...args: Parameters<ExtractFile>): Promise<ReturnType<ExtractFile>> {
  return (await import('./files.ts')).extractFile(...args);
}

/** `sources add`: what each extractor makes of a page, and a source file proposed for it. */
export async function proposeSource(...args: Parameters<ProposeSource>): ReturnType<ProposeSource> {
  return (await import('./propose-source.ts')).proposeSource(...args);
}
