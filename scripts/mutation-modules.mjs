// The modules `npm run test:mutation` mutates, each with the suites that exercise it (docs/testing.md).
// A new area adds its policy and visibility rules here with their suites: anonymity of feedback, confidential
// answers, calibration access, OAuth and webhook signature checks. Lists are explicit, not vitest `related`:
// every suite reaches the policy through the app, so `related` would run nearly all of them for every mutant.

/** @type {{ name: string, file: string, tests: string[] }[]} */
export const MODULES = [
  {
    name: 'metric',
    file: 'src/domain/goals/metric.ts',
    tests: [
      'test/metric-combinations.test.ts',
      'test/rules-pinned-metrics.test.ts',
      'test/milestone-rules.test.ts',
    ],
  },
  {
    name: 'progress',
    file: 'src/domain/goals/progress.ts',
    tests: [
      'test/metric-combinations.test.ts',
      'test/milestone-rules.test.ts',
      'test/rules-pinned-metrics.test.ts',
      'test/checkins.test.ts',
      'test/goals.test.ts',
    ],
  },
  {
    name: 'auth',
    file: 'src/http/auth.ts',
    // security.test.ts and session-security.test.ts ask every route the shared cases: too long to run for
    // each mutant; rules-pinned-access.test.ts asks one route each of their cases that this module decides.
    tests: ['test/rules-pinned-access.test.ts'],
  },
  {
    name: 'visibility',
    file: 'src/domain/goals/visibility.ts',
    tests: [
      'test/milestone-rules.test.ts',
      'test/goal-visibility.test.ts',
      'test/goal-owners.test.ts',
      'test/rules-pinned-access.test.ts',
      'test/goals.test.ts',
    ],
  },
  {
    name: 'credentials',
    file: 'src/domain/access/credentials.ts',
    tests: ['test/rules-pinned-access.test.ts'],
  },
  {
    name: 'signature',
    file: 'src/domain/metric-hooks/signature.ts',
    tests: ['test/metric-hooks.test.ts'],
  },
  {
    name: 'policy',
    file: 'src/domain/access/policy.ts',
    tests: [
      'test/access-roles.test.ts',
      'test/gates.test.ts',
      'test/rules-pinned-access.test.ts',
      'test/goal-owners.test.ts',
      'test/goal-visibility.test.ts',
      'test/users.test.ts',
    ],
  },
  // Feedback anonymity (docs/feedback.md): who reads a response, named or anonymous.
  {
    name: 'feedback-visibility',
    file: 'src/domain/feedback/visibility.ts',
    tests: ['test/feedback-anonymity.test.ts', 'test/feedback.test.ts'],
  },
  // Calibration access (docs/calibration.md): who reads and calibrates a talent record.
  {
    name: 'calibration-access',
    file: 'src/domain/calibration/access.ts',
    tests: ['test/calibration.test.ts', 'test/calibration-sessions.test.ts'],
  },
];
