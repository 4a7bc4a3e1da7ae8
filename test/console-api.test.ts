import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiSchemaTypes, SCHEMA_FILE } from '../console/scripts/api-schema.js';

/** A changed API schema breaks this test (and CI), not the console's pages at run time. */
describe("the console's typed API client", () => {
  it('is generated from the OpenAPI document the server serves today', async () => {
    const checkedIn = readFileSync(SCHEMA_FILE, 'utf8');
    const fresh = await apiSchemaTypes();
    expect(fresh.length).toBeGreaterThan(1000);
    expect(fresh, 'console/src/api/schema.d.ts is stale: run `npm run console:api` and commit it').toBe(
      checkedIn,
    );
  }, 180_000);
});
