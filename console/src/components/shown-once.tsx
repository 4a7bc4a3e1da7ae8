import { useEffect, useRef, useState } from 'preact/hooks';

/** A secret the server shows only in this answer: the person copies it now, or makes another. */
export function ShownOnce({ label, secret, onDone }: { label: string; secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState<string>('');
  const region = useRef<HTMLElement>(null);
  // Moves focus to the secret when it appears, so a screen reader reads it and Copy is one Tab away.
  useEffect(() => region.current?.focus(), [secret]);
  const copy = () =>
    navigator.clipboard.writeText(secret).then(
      () => setCopied('Copied.'),
      () => setCopied('Could not copy: select the text and copy it yourself.'),
    );
  return (
    <section class="shown-once" aria-label={label} tabIndex={-1} ref={region}>
      <p>
        <strong>{label}</strong>: copy it now, it is shown only once.
      </p>
      <code class="secret">{secret}</code>
      <div class="actions">
        <button type="button" onClick={copy}>
          Copy
        </button>
        <button type="button" class="secondary" onClick={onDone}>
          Done
        </button>
        <span aria-live="polite">{copied}</span>
      </div>
    </section>
  );
}
