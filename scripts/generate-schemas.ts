import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSchemas } from '../src/schema/json-schemas.ts';

const dir = join(import.meta.dirname, '..', 'schemas');
for (const [file, text] of Object.entries(jsonSchemas())) writeFileSync(join(dir, file), text);
console.log(`wrote ${Object.keys(jsonSchemas()).length} schemas to schemas/`);
