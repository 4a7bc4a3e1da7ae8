import { useState } from 'preact/hooks';

/** Copies a value to the clipboard and says so; where the browser refuses, it says to copy by hand. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [said, setSaid] = useState('');
  const copy = () =>
    navigator.clipboard.writeText(value).then(
      () => setSaid('Copied.'),
      () => setSaid('The browser did not allow copying: select the text and copy it.'),
    );
  return (
    <span class="copy">
      <button type="button" onClick={copy} aria-label={label}>
        Copy
      </button>
      <span role="status">{said}</span>
    </span>
  );
}
