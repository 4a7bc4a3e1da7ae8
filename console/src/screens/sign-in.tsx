import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { currentSession, signIn } from '../api/auth';
import { ErrorBanner } from '../components/error-banner';
import { sessionFrom, useSession } from '../session';

export function SignInScreen() {
  const { setSession } = useSession();
  const { route } = useLocation();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      await signIn(String(form.get('email')), String(form.get('password')));
      // The session's own answer carries the role, which decides whether the admin screens show.
      const info = await currentSession();
      setSession(sessionFrom(info), info.csrf_token);
      route(info.privacy_notice_accepted ? '/' : '/notice');
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <section class="narrow">
      <h1>Sign in to Trellis</h1>
      <ErrorBanner error={error} />
      <form class="stack" onSubmit={submit}>
        <label>
          Email
          <input name="email" type="email" autocomplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p>
        <a href="/auth/password-reset">Forgot your password?</a>
      </p>
    </section>
  );
}
