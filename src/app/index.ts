/** The use cases: what the CLI, the library entry and the desk do, each a function over a workspace. */
export { workspace, withLedger, sourcesOf, aliasesOf, journalOf, type Workspace } from './workspace.ts';
export { syncLedger, ingestFile, reconcileNow, readInputFile, pointInTime, type SyncRequest, type SyncReport } from './sync.ts';
export { findModel, listModels, pendingCandidates, settleAlias, settleCandidates, type ModelListing, type AliasSettlement, type BulkSettlement } from './models.ts';
export { explainModel, modelHistory, fieldNamed } from './facts.ts';
export { pinValue, liftValue, parseFieldValue, type OverrideResult } from './overrides.ts';
export { listChanges, approve, reject, triageChanges, triageGroupNamed, type Selection } from './review.ts';
export { loadPolicy, applyPolicy, POLICY_FILE } from './policy.ts';
export { rebuildLedger, type RebuildResult } from './rebuild.ts';
export { sourceStatuses, type SourceStatus } from './sources.ts';
export { extractFile, reconcileClaimsFile } from './files.ts';
export { exportLedger, serveExport } from './export.ts';
