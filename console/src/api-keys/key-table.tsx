// biome-ignore-all lint/a11y/noRedundantRoles: at phone width the table is display: block, and Chromium drops the table semantics of a table whose display changes; the explicit roles keep them.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { User } from '../api/client';
import { displayName } from '../goals/load';
import type { ApiKey, KeyAction } from './keys';

const when = (timestamp: string | null, otherwise: string) =>
  timestamp === null
    ? otherwise
    : new Date(timestamp).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

interface Props {
  /** The id of the heading that names the table. */
  labelledBy: string;
  keys: ApiKey[];
  holders: Map<number, User>;
  /** What the rows' button does: active keys are revoked, revoked keys reactivated. */
  action: KeyAction;
  busy: boolean;
  onAction: (key: ApiKey, action: KeyAction) => void;
}

/** Seed 000's "Active Keys" (and the revoked ones): whose, which, what mode, when made and last used. */
export function KeyTable({ labelledBy, keys, holders, action, busy, onAction }: Props) {
  return (
    <table class="key-table" role="table" aria-labelledby={labelledBy}>
      <thead>
        <tr>
          <th scope="col">Person</th>
          <th scope="col">Name</th>
          <th scope="col">Mode</th>
          <th scope="col">Key</th>
          <th scope="col">Created</th>
          <th scope="col">Last used</th>
          {action === 'reactivate' && <th scope="col">Revoked</th>}
          <th scope="col">
            <span class="visually-hidden">Action</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {keys.map((key) => (
          <KeyRow
            key={key.id}
            apiKey={key}
            holder={holders.get(key.user_id)}
            {...{ action, busy, onAction }}
          />
        ))}
      </tbody>
    </table>
  );
}

type RowProps = Pick<Props, 'action' | 'busy' | 'onAction'> & { apiKey: ApiKey; holder: User | undefined };

function KeyRow({ apiKey, holder, action, busy, onAction }: RowProps) {
  return (
    <tr role="row">
      <td role="cell" data-label="Person">
        {holder ? displayName(holder) : `User ${apiKey.user_id}`}
      </td>
      <td role="cell" data-label="Name">
        {apiKey.name}
      </td>
      <td role="cell" data-label="Mode">
        {apiKey.mode}
      </td>
      <td role="cell" data-label="Key">
        <code>…{apiKey.last_four}</code>
      </td>
      <td role="cell" data-label="Created">
        {when(apiKey.created_at, '')}
      </td>
      <td role="cell" data-label="Last used">
        {when(apiKey.last_used_at, 'never')}
      </td>
      {action === 'reactivate' && (
        <td role="cell" data-label="Revoked">
          {when(apiKey.revoked_at, '')}
        </td>
      )}
      <td role="cell">
        {action === 'revoke' ? (
          <RevokeButton apiKey={apiKey} busy={busy} onRevoke={() => onAction(apiKey, 'revoke')} />
        ) : (
          <button type="button" disabled={busy} onClick={() => onAction(apiKey, 'reactivate')}>
            Reactivate<span class="visually-hidden"> {apiKey.name}</span>
          </button>
        )}
      </td>
    </tr>
  );
}

/** Revoking stops the scripts that use the key at once, so it asks first; the question takes the focus. */
function RevokeButton({ apiKey, busy, onRevoke }: { apiKey: ApiKey; busy: boolean; onRevoke: () => void }) {
  const [asking, setAsking] = useState(false);
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirm.current?.focus();
  }, [asking]);
  if (!asking)
    return (
      <button type="button" class="danger" disabled={busy} onClick={() => setAsking(true)}>
        Revoke<span class="visually-hidden"> {apiKey.name}</span>
      </button>
    );
  return (
    <div class="confirm">
      <span id={`revoke-question-${apiKey.id}`}>
        Revoke “{apiKey.name}”? Every call with it fails from now on.
      </span>
      <button
        type="button"
        class="danger"
        ref={confirm}
        disabled={busy}
        aria-describedby={`revoke-question-${apiKey.id}`}
        onClick={onRevoke}
      >
        Yes, revoke
      </button>
      <button type="button" class="secondary" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </div>
  );
}
