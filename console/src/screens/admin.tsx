import { ADMIN_AREAS, ADMIN_SCREENS, type AdminArea } from '../admin/screens';

const screensOf = (area: AdminArea) => ADMIN_SCREENS.filter((screen) => (screen.area ?? 'More') === area);

/** The admin index: every admin screen with what it is for, under its area. */
export function AdminScreen() {
  const areas = ADMIN_AREAS.map((area) => ({ area, screens: screensOf(area) })).filter(
    (a) => a.screens.length,
  );
  return (
    <section>
      <h1>Admin</h1>
      {areas.length === 0 && <p>No admin screens yet.</p>}
      {areas.map(({ area, screens }) => (
        <section key={area} aria-labelledby={`admin-area-${area}`}>
          <h2 id={`admin-area-${area}`}>{area}</h2>
          <ul class="admin-index">
            {screens.map((screen) => (
              <li key={screen.path}>
                <a href={screen.path}>{screen.title}</a>
                <span> — {screen.summary}</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
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
