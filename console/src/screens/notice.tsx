import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { acceptNotice, privacyNotice } from '../api/auth';
import { ErrorBanner } from '../components/error-banner';
import { useLoad } from '../components/use-load';
import { useSession } from '../session';

/** The organisation's privacy notice: until it is accepted, the API refuses the session everywhere else. */
export function NoticeScreen() {
  const { session, setSession } = useSession();
  const { route } = useLocation();
  const notice = useLoad(privacyNotice, []);
  const [error, setError] = useState<unknown>(null);

  const accept = async () => {
    if (!notice.value || !session) return;
    try {
      await acceptNotice(notice.value.version);
      setSession({ ...session, noticePending: false });
      route('/');
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <section class="narrow">
      <h1>Privacy notice</h1>
      <ErrorBanner error={notice.error ?? error} />
      {notice.value && (
        <>
          <p class="muted">Version {notice.value.version}</p>
          <div class="notice-text">
            {notice.value.text || 'Your organisation has not written its notice yet.'}
          </div>
          <button type="button" onClick={accept}>
            I accept
          </button>
        </>
      )}
    </section>
  );
}
