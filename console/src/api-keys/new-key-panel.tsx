import { useEffect, useRef, useState } from 'preact/hooks';
import type { User } from '../api/client';
import { displayName } from '../goals/load';
import type { NewKey } from './keys';

type CopyState = 'idle' | 'copied' | 'failed';

const COPY_WORDS: Record<CopyState, string> = {
  idle: '',
  copied: 'Copied',
  failed: 'The browser would not copy: select the key and copy it yourself.',
};

interface Props {
  created: NewKey;
  holder: User;
  /** Called only when the admin says they have stored the key: it cannot be shown again. */
  onDone: () => void;
}

/** The key itself, shown this once; focus comes here so a keyboard user meets it first. */
export function NewKeyPanel({ created, holder, onDone }: Props) {
  const [copy, setCopy] = useState<CopyState>('idle');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const secret = created.key ?? '';
  const copyKey = () =>
    navigator.clipboard.writeText(secret).then(
      () => setCopy('copied'),
      () => setCopy('failed'),
    );

  return (
    <section class="new-key" aria-labelledby="new-key-title">
      <h2 id="new-key-title" tabIndex={-1} ref={heading}>
        New key “{created.name}” for {displayName(holder)}
      </h2>
      <p class="new-key-warning">
        Copy this key now and store it somewhere safe. It will not be shown again: Trellis keeps only a hash
        of it.
      </p>
      <label>
        The new {created.mode} key
        <input class="secret" readOnly value={secret} onFocus={(e) => e.currentTarget.select()} />
      </label>
      <div class="actions">
        <button type="button" onClick={copyKey}>
          Copy key
        </button>
        <span role="status">{COPY_WORDS[copy]}</span>
      </div>
      <button type="button" class="secondary" onClick={onDone}>
        I have stored the key, close this
      </button>
    </section>
  );
}
