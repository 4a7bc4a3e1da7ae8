import type { RefObject } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { User } from '../api/client';
import { ApiError } from '../api/errors';
import { usersById } from '../api/users';
import { GenerateKeyForm } from '../api-keys/generate-form';
import { KeyTable } from '../api-keys/key-table';
import { type ApiKey, changeKey, type KeyAction, keysWithStatus, type NewKey } from '../api-keys/keys';
import { NewKeyPanel } from '../api-keys/new-key-panel';
import { ErrorBanner } from '../components/error-banner';
import { useAction } from '../components/use-action';
import { useLoad } from '../components/use-load';

export const API_KEYS_PATH = '/admin/api-keys';

async function loadKeys() {
  const [active, revoked] = await Promise.all([keysWithStatus('active'), keysWithStatus('revoked')]);
  return { active, revoked, holders: await usersById([...active, ...revoked].map((key) => key.user_id)) };
}

/** The API refused to list keys to this person: a form it would refuse too is not offered. */
const refused = (error: unknown) => error instanceof ApiError && error.status === 403;

const DONE: Record<KeyAction, string> = { revoke: 'revoked', reactivate: 'reactivated' };

/** Seed 000's Admin → Platform Configuration → API: generate keys for people, revoke and reactivate them. */
export function ApiKeysScreen() {
  const keys = useLoad(loadKeys, []);
  const [created, setCreated] = useState<{ key: NewKey; holder: User } | null>(null);
  const { busy, error, run } = useAction();
  const [status, setStatus] = useState('');
  const activeHeading = useRef<HTMLHeadingElement>(null);

  const act = (key: ApiKey, action: KeyAction) =>
    run(async () => {
      setStatus('');
      await changeKey(key, action);
      setStatus(`“${key.name}” was ${DONE[action]}.`);
      await keys.reload();
    });
  const generated = (key: NewKey, holder: User) => {
    setCreated({ key, holder });
    setStatus('');
    keys.reload();
  };
  const stored = () => {
    setCreated(null);
    activeHeading.current?.focus();
  };

  return (
    <section class="api-keys">
      <h1>API keys</h1>
      <p class="muted">
        A key acts as the person who holds it, with their role: give scripts a service account's key rather
        than a person's, so they keep working when people leave.
      </p>
      {created ? (
        <NewKeyPanel created={created.key} holder={created.holder} onDone={stored} />
      ) : (
        !refused(keys.error) && <GenerateKeyForm onGenerated={generated} />
      )}
      <ErrorBanner error={keys.error ?? error} />
      <p role="status">{status}</p>
      <KeyLists
        keys={keys.value}
        failed={Boolean(keys.error)}
        busy={busy}
        onAction={act}
        activeHeading={activeHeading}
      />
    </section>
  );
}

interface ListsProps {
  keys: Awaited<ReturnType<typeof loadKeys>> | undefined;
  busy: boolean;
  onAction: (key: ApiKey, action: KeyAction) => void;
  activeHeading: RefObject<HTMLHeadingElement | null>;
  /** The keys could not be read: the banner says why, so no loading text stays behind. */
  failed: boolean;
}

function KeyLists({ keys, busy, onAction, activeHeading, failed }: ListsProps) {
  if (!keys) return failed ? null : <p aria-live="polite">Loading keys…</p>;
  const shared = { holders: keys.holders, busy, onAction };
  return (
    <>
      <h2 id="active-keys" tabIndex={-1} ref={activeHeading}>
        Active keys
      </h2>
      {keys.active.length === 0 ? (
        <p>No active keys.</p>
      ) : (
        <KeyTable labelledBy="active-keys" keys={keys.active} action="revoke" {...shared} />
      )}
      <h2 id="revoked-keys">Revoked keys</h2>
      {keys.revoked.length === 0 ? (
        <p>No revoked keys.</p>
      ) : (
        <KeyTable labelledBy="revoked-keys" keys={keys.revoked} action="reactivate" {...shared} />
      )}
    </>
  );
}
