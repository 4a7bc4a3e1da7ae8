import { useRef } from 'preact/hooks';
import { ME_SCREENS } from './screens';

/** The header's "Me" menu: a disclosure, so it stays one word wide at phone width and works from the keyboard. */
export function MeMenu() {
  const menu = useRef<HTMLDetailsElement>(null);
  // Following a link closes the menu, as leaving the screen would.
  const close = () => menu.current?.removeAttribute('open');
  return (
    <details class="me-menu" ref={menu}>
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
