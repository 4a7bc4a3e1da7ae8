import { useRef } from 'preact/hooks';
import { ME_SCREENS } from './screens';

/** The header's "Me" menu: a disclosure, so it stays one word wide at phone width and works from the keyboard. */
export function MeMenu() {
  const menu = useRef<HTMLDetailsElement>(null);
  // Following a link closes the menu, as leaving the screen would.
  const close = () => menu.current?.removeAttribute('open');
  // Escape closes it too, and gives focus back to "Me" so the keyboard user is where they were.
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !menu.current?.open) return;
    close();
    menu.current.querySelector('summary')?.focus();
  };
  return (
    <details class="me-menu" ref={menu} onKeyDown={onKeyDown}>
      <summary>Me</summary>
      <ul>
        {Object.values(ME_SCREENS).map((screen) => (
          <li key={screen.path}>
            <a href={screen.path} onClick={close}>
              {screen.title}
            </a>
          </li>
        ))}
      </ul>
    </details>
  );
}
