/** The export formats by name, apart from their writers, so the CLI can list them without loading any. */
import { ExportFormatSchema, type ExportFormat } from '../schema/dataset.ts';
export const EXPORT_FORMATS = ExportFormatSchema.options;
export type { ExportFormat };
