import { afterAll, beforeAll, describe, it } from 'vitest';
import { expectError } from './envelope-assert.js';
import { type Org, startTestApp, type TestApp } from './harness.js';

/** Answers the router, Node's parser or a plugin would give in its own shape: each must be the envelope. */
let t: TestApp;
let org: Org;

beforeAll(async () => {
  t = await startTestApp();
  org = await t.createOrg();
}, 300_000);
afterAll(() => t.close());

describe('credentials in the query string, whatever their case', () => {
  it.each(['ACCESS_TOKEN', 'Token', 'Api_Key', 'KEY'])('?%s=x is refused', async (name) => {
    const res = await t.request(org.key, { url: `/v1/me?${name}=x` });
    expectError(res, 400, 'access_token_in_query', name);
  });
});
