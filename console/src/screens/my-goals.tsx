import { api, type Goal, unwrap } from '../api/client';
import { CheckInForm } from '../components/checkin-form';
import { ErrorBanner } from '../components/error-banner';
import { ProgressBar } from '../components/progress-bar';
import { useLoad } from '../components/use-load';
import type { CheckInTarget } from '../goals/checkins';
import { useSession } from '../session';

/** The goals the signed-in person owns, with their progress and a quick check-in on each. */
export function MyGoalsScreen() {
  const { session } = useSession();
  const userId = session?.userId ?? 0;
  const goals = useLoad(
    () => unwrap(api.GET('/v1/goals', { params: { query: { owner_id: userId, size: 100 } } })),
    [userId],
  );
  const list = goals.value?.data;
  const replace = (next: Goal) =>
    goals.value &&
    goals.setValue({ ...goals.value, data: goals.value.data.map((g) => (g.id === next.id ? next : g)) });

  return (
    <section>
      <h1>My goals</h1>
      <ErrorBanner error={goals.error} />
      {list && list.length === 0 && <p>You own no goals yet.</p>}
      <ul class="cards">
        {list?.map((goal) => (
          <GoalCard key={goal.id} goal={goal} onCheckedIn={replace} />
        ))}
      </ul>
    </section>
  );
}

/** A goal with a check-in on its first open milestone (or on the goal itself when it has none). */
function GoalCard({ goal, onCheckedIn }: { goal: Goal; onCheckedIn: (goal: Goal) => void }) {
  const milestone = goal.milestones.find((m) => m.status === 'open');
  const target: CheckInTarget = milestone
    ? { kind: 'milestone', id: milestone.id }
    : { kind: 'goal', id: goal.id };
  const name = milestone?.name ?? goal.name;
  return (
    <li class="card">
      <h2>
        <a href={`/goals/${goal.id}`}>{goal.name}</a>
      </h2>
      <ProgressBar progress={goal.progress} color={goal.progress_color} label={`Progress of ${goal.name}`} />
      <p class="muted">
        {goal.milestones.length} milestone{goal.milestones.length === 1 ? '' : 's'} · ends {goal.ends_on}
      </p>
      {(milestone || goal.progress_source === 'milestones') && (
        <details class="quick-checkin">
          <summary>Check in on {name}</summary>
          <CheckInForm
            target={target}
            name={name}
            current={milestone?.current_value ?? goal.progress}
            onCheckedIn={onCheckedIn}
          />
        </details>
      )}
    </li>
  );
}
