import { CopyButton } from '../config-admin/copy-button';
import type { IssuedEndpoint } from './types';

/** The signing secret, shown the one time the API answers it, until the admin says they have stored it. */
export function SecretOnce({ issued, onDone }: { issued: IssuedEndpoint; onDone: () => void }) {
  if (!issued.signing_secret) return null;
  return (
    <section class="secret-once" aria-label="Signing secret">
      <p>
        <strong>The signing secret of {issued.url}</strong>, shown only now: store it where the receiver
        verifies signatures.
      </p>
      <code class="secret">{issued.signing_secret}</code>
      <div class="actions">
        <CopyButton value={issued.signing_secret} label="Copy the signing secret" />
        <button type="button" class="secondary" onClick={onDone}>
          I have stored it
        </button>
      </div>
    </section>
  );
}
