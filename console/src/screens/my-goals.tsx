import { api, unwrap } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { ProgressBar } from '../components/progress-bar';
import { useLoad } from '../components/use-load';
import { useSession } from '../session';

/** The goals the signed-in person owns, with their progress. */
export function MyGoalsScreen() {
  const { session } = useSession();
  const userId = session?.userId ?? 0;
  const goals = useLoad(
    () => unwrap(api.GET('/v1/goals', { params: { query: { owner_id: userId, size: 100 } } })),
    [userId],
  );
  const list = goals.value?.data;

  return (
    <section>
      <h1>My goals</h1>
      <ErrorBanner error={goals.error} />
      {list && list.length === 0 && <p>You own no goals yet.</p>}
      <ul class="cards">
        {list?.map((goal) => (
          <li class="card" key={goal.id}>
            <h2>
              <a href={`/goals/${goal.id}`}>{goal.name}</a>
            </h2>
            <ProgressBar
              progress={goal.progress}
              color={goal.progress_color}
              label={`Progress of ${goal.name}`}
            />
            <p class="muted">
              {goal.milestones.length} milestone{goal.milestones.length === 1 ? '' : 's'} · ends{' '}
              {goal.ends_on}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
