import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { useAction } from '../config-admin/use-action';

/** The word an admin types to reset: a reset deletes every test object, so it is never one click. */
const CONFIRMATION = 'reset';

/** What test mode is, and its reset from the live directory (super admins). */
export function AdminSandboxScreen() {
  const [typed, setTyped] = useState('');
  const reset = useAction(async () => {
    const answer = await unwrap(api.POST('/v1/sandbox/reset'));
    setTyped('');
    return { message: answer.message, at: new Date() };
  });
  return (
    <section>
      <h1>Test-mode sandbox</h1>
      <div class="config-panel">
        <p>
          Every organisation has two modes. <strong>Live</strong> keys (<code>tw_live_…</code>) and this
          console see and change live data only; <strong>test</strong> keys (<code>tw_test_…</code>) see and
          change only the sandbox's test data, so a script can be tried without touching anyone's real goals.
        </p>
        <p>
          Resetting deletes the sandbox's data — goals, periods, check-ins, conversations, feedback,
          recognition, calibration, metric webhooks and datastreams, the test scale and settings — and copies
          the live directory (people, departments, groups, teams, HR scopes) into test mode with the same ids,
          so each person's test key acts as the same person. Test keys, test webhook endpoints and the audit
          log stay. Live data is only read. The sandbox's contents cannot be counted from here: the console
          works in live mode.
        </p>
      </div>
      <form
        class="stack admin-form"
        aria-label="Reset the sandbox"
        onSubmit={(event) => {
          event.preventDefault();
          if (typed === CONFIRMATION) reset.run();
        }}
      >
        <ErrorBanner error={reset.error} />
        <label>
          Type “{CONFIRMATION}” to reset the sandbox
          <input
            name="confirmation"
            autoComplete="off"
            value={typed}
            onInput={(e) => setTyped(e.currentTarget.value)}
          />
        </label>
        <button type="submit" class="danger" disabled={typed !== CONFIRMATION || reset.busy}>
          {reset.busy ? 'Resetting…' : 'Reset the sandbox'}
        </button>
        <p role="status">
          {reset.result && `${reset.result.message} at ${reset.result.at.toLocaleString()}.`}
        </p>
      </form>
    </section>
  );
}
