import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

interface Props {
  label: string;
  name: string;
  required?: boolean;
  children: ComponentChildren;
}

/**
 * A labelled select. The label names it by `for`, not by wrapping it: a wrapping label would add the chosen
 * option's words to the select's accessible name ("Score 1 2 3 4 5").
 */
export function SelectField({ label, children, ...select }: Props) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} {...select}>
        {children}
      </select>
    </div>
  );
}
