import { useState } from 'preact/hooks';
import type { User } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { useAction } from '../components/use-action';
import { generateKey, type KeyMode, type NewKey } from './keys';
import { PersonPicker } from './person-picker';

interface Props {
  onGenerated: (key: NewKey, holder: User) => void;
}

/** Seed 000's "Generate Key": a holder, a name to tell the key apart by, and the mode whose data it reaches. */
export function GenerateKeyForm({ onGenerated }: Props) {
  const [holder, setHolder] = useState<User | null>(null);
  const { busy, error, run } = useAction();

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const fields = new FormData(form);
    const name = String(fields.get('name') ?? '').trim();
    const mode: KeyMode = fields.get('mode') === 'test' ? 'test' : 'live';
    if (!holder) return;
    run(async () => {
      onGenerated(await generateKey({ holder, name, mode }), holder);
      form.reset();
    });
  };

  return (
    <form class="stack generate-key" aria-labelledby="generate-key-title" onSubmit={submit}>
      <h2 id="generate-key-title">Generate a key</h2>
      <ErrorBanner error={error} />
      <PersonPicker chosen={holder} onChoose={setHolder} />
      <label>
        Key name
        <input name="name" required maxLength={100} placeholder="CRM sync" />
      </label>
      <label for="key-mode">Mode</label>
      <select id="key-mode" name="mode">
        <option value="live">Live: the organisation's real data</option>
        <option value="test">Test: the sandbox's data only</option>
      </select>
      <button type="submit" disabled={busy}>
        {busy ? 'Generating…' : 'Generate key'}
      </button>
    </form>
  );
}
