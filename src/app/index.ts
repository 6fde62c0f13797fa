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
export { extractFile } from './files.ts';
export { reconcileClaimsFile } from './claims-file.ts';
export { exportLedger, serveExport } from './export.ts';
export { proposeSource, type SourceProposal, type ProposeSourceRequest, type ExtractorTrial } from './propose-source.ts';
