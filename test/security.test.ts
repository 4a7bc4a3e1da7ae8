import { afterAll } from 'vitest';
import { nativeDescription } from './face-description.js';
import { startTestApp } from './harness.js';
import { loadRoutes } from './route-catalog.js';
import { describeSharedSecurity } from './shared-security.js';

/**
 * The shared cases of every protected route of the native face, over the routes the app's own OpenAPI
 * document lists under /v1: a route added anywhere under /v1 is covered here without a change to this file.
 * The cases live in shared-security.ts, so that every face runs the same ones (second-face.test.ts).
 */
const t = await startTestApp();
const { routes, signed } = await loadRoutes(t, nativeDescription.prefix);
afterAll(() => t.close());

describeSharedSecurity(nativeDescription, t, routes, signed);
