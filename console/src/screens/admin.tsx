import { ADMIN_SCREENS } from '../admin/screens';

/** The admin index: every admin screen with what it is for. */
export function AdminScreen() {
  return (
    <section>
      <h1>Admin</h1>
      {ADMIN_SCREENS.length === 0 ? (
        <p>No admin screens yet.</p>
      ) : (
        <ul class="admin-index">
          {ADMIN_SCREENS.map((screen) => (
            <li key={screen.path}>
              <a href={screen.path}>{screen.title}</a>
              <span> — {screen.summary}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** What a member sees at an admin path: no request for the screen's data is made (the API refuses it too). */
export function AdminOnly() {
  return (
    <section>
      <h1>Admins only</h1>
      <p>
        This screen is for your organisation's admins. <a href="/">Back to my goals</a>.
      </p>
    </section>
  );
}
