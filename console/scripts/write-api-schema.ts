import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { apiSchemaTypes, SCHEMA_FILE } from './api-schema.js';

await writeFile(SCHEMA_FILE, await apiSchemaTypes());
console.log(`wrote ${fileURLToPath(SCHEMA_FILE)}`);
