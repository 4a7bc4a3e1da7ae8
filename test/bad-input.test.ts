import { afterAll } from 'vitest';
import { nativeDescription } from './face-description.js';
import { startTestApp } from './harness.js';
import { loadRoutes } from './route-catalog.js';
import { describeSharedBadInput } from './shared-bad-input.js';

/**
 * Every write route of the native face with a body, fed bodies its schema rejects; the cases live in
 * shared-bad-input.ts, so that every face runs the same ones (second-face.test.ts).
 */
const t = await startTestApp();
const { routes } = await loadRoutes(t, nativeDescription.prefix);
afterAll(() => t.close());

describeSharedBadInput(nativeDescription, t, routes);
