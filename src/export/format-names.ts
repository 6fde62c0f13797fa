/** The export formats by name, apart from their writers, so the CLI can list them without loading any. */
export const EXPORT_FORMATS = ['json', 'ndjson', 'csv', 'litellm', 'llm-prices', 'models-dev'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
