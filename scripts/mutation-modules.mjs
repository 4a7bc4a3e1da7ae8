// The modules `npm run test:mutation` mutates, each with the suites that exercise it (docs/testing.md).
// A new area adds its policy and visibility rules here with their suites: anonymity of feedback, confidential
// answers, calibration access, OAuth and webhook signature checks. Lists are explicit, not vitest `related`:
// every suite reaches the policy through the app, so `related` would run nearly all of them for every mutant.

/** @type {{ name: string, file: string, tests: string[] }[]} */
export const MODULES = [
  {
    name: 'metric',
    file: 'src/domain/goals/metric.ts',
    // resolveMetric called directly (milliseconds); metric-combinations pins the same rules through HTTP.
    tests: ['test/metric-rules.test.ts'],
  },
  {
    name: 'progress',
    file: 'src/domain/goals/progress.ts',
    // The progress math called directly; rules-pinned-metrics and milestone-rules pin it through HTTP.
    tests: ['test/progress-rules.test.ts'],
  },
  // http/auth.ts in two parts: the credential readers (lines 1-56) against a suite with no database (seconds),
  // the hook that resolves the credential (57-76) against one with a database and one member (a minute a run).
  {
    name: 'auth',
    file: 'src/http/auth.ts:1-56',
    tests: ['test/auth-readers.test.ts'],
  },
  {
    name: 'auth-hook',
    file: 'src/http/auth.ts:57-76',
    tests: ['test/auth-rules.test.ts', 'test/auth-readers.test.ts'],
  },
  {
    name: 'visibility',
    // Who sees a goal and who changes it (lines 29-70); the owner and milestone checks (71-98) are a run of
    // their own. The goal services over a bare database, 45 s a run; goal-visibility, goal-owners and
    // rules-pinned-access pin the same through HTTP (minutes a run each).
    file: 'src/domain/goals/visibility.ts:29-70',
    tests: ['test/visibility-rules.test.ts'],
  },
  {
    name: 'visibility-owners',
    file: 'src/domain/goals/visibility.ts:71-98',
    tests: ['test/visibility-rules.test.ts'],
  },
  {
    name: 'credentials',
    file: 'src/domain/access/credentials.ts',
    tests: ['test/rules-pinned-access.test.ts'],
  },
  {
    name: 'signature',
    file: 'src/domain/metric-hooks/signature.ts',
    // Checked against the real standardwebhooks library; metric-hooks.test.ts pins it through HTTP.
    tests: ['test/signature-rules.test.ts'],
  },
  // Outbound webhooks' Standard Webhooks signature, verified by the real library.
  {
    name: 'webhook-signing',
    file: 'src/domain/webhooks/signing.ts',
    tests: ['test/signature-rules.test.ts'],
  },
  // OAuth: redirect URIs, scopes and PKCE S256 (docs/oauth.md), and the client hashes compared as digests.
  {
    name: 'oauth-rules',
    file: 'src/domain/oauth/rules.ts',
    tests: ['test/oauth-rules.test.ts'],
  },
  {
    name: 'oauth-secret',
    file: 'src/domain/oauth/secret.ts',
    tests: ['test/oauth-rules.test.ts'],
  },
  {
    name: 'policy',
    file: 'src/domain/access/policy.ts',
    // Every rule asked of every kind of caller, directly; access-roles, gates and rules-pinned-access ask
    // the same through HTTP (minutes a run each).
    tests: ['test/policy-rules.test.ts'],
  },
  // Feedback anonymity (docs/feedback.md): who reads a response, named or anonymous.
  // The SQL predicates (lines 1-51) against the feedback services over a bare database with a world of
  // managers and scopes (20 s a run; feedback-anonymity and feedback pin the same through HTTP, minutes a run);
  // namesHiddenFrom (52-60) is pure and runs against a suite of its own.
  {
    name: 'feedback-visibility',
    file: 'src/domain/feedback/visibility.ts:1-51',
    tests: ['test/feedback-visibility-rules.test.ts'],
  },
  {
    name: 'feedback-names',
    file: 'src/domain/feedback/visibility.ts:52-60',
    tests: ['test/feedback-rules.test.ts'],
  },
  // Calibration access (docs/calibration.md): who reads and calibrates a talent record. The calibration
  // services over a bare database, 20 s a run; calibration and calibration-sessions pin the same through HTTP.
  {
    name: 'calibration-access',
    file: 'src/domain/calibration/access.ts',
    tests: ['test/calibration-access-rules.test.ts'],
  },
];
