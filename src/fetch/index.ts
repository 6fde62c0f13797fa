export { createFetcher, type Fetcher } from './fetcher.ts';
export { FetcherOptionsSchema, parseFetcherOptions, type FetcherOptions, type FetcherOptionsInput, type ProgressEvent } from './options.ts';
export type { FetchOutcome, FetchState } from './types.ts';
export { FetchFailure, type FetchErrorClass } from './errors.ts';
export { createProgressReporter, type ProgressReporter, type ProgressReporterOptions } from './progress.ts';
export { writeSnapshotFile, readSnapshotFile, sha256Hex, snapshotPath } from './snapshot-store.ts';
export { INSTALL_HINT as BROWSER_INSTALL_HINT } from './browser.ts';
export type { RobotsCache } from './robots.ts';
