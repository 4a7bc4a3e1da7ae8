import { api, type Goal, type Milestone, unwrap } from '../api/client';
import { CheckInForm } from '../components/checkin-form';
import { ErrorBanner } from '../components/error-banner';
import { LineChart } from '../components/line-chart';
import { ProgressBar } from '../components/progress-bar';
import { useLoad } from '../components/use-load';
import { type CheckInTarget, checkInsOf } from '../goals/checkins';
import { GoalAssessments } from './goal-assessments';
import { GoalComments } from './goal-comments';

/** A goal's page: its progress, its milestones, a check-in form and the history of each, comments, assessments. */
export function GoalScreen({ id }: { id: string }) {
  const goalId = Number(id);
  const goal = useLoad(
    () => unwrap(api.GET('/v1/goals/{id}', { params: { path: { id: goalId } } })),
    [goalId],
  );
  const value = goal.value?.data;
  const update = (next: Goal) => goal.setValue({ ...goal.value, data: next } as typeof goal.value);

  return (
    <section>
      <ErrorBanner error={goal.error} />
      {value && (
        <>
          <h1>{value.name}</h1>
          {value.description && <p>{value.description}</p>}
          <p class="muted">
            {value.starts_on} to {value.ends_on} · {value.status}
          </p>
          <ProgressBar
            progress={value.progress}
            color={value.progress_color}
            label={`Progress of ${value.name}`}
          />
          {value.milestones.length === 0 ? (
            <CheckInPanel
              target={{ kind: 'goal', id: value.id }}
              name={value.name}
              current={value.progress}
              onCheckedIn={update}
            />
          ) : (
            <ul class="cards">
              {value.milestones.map((milestone) => (
                <MilestoneCard key={milestone.id} milestone={milestone} onCheckedIn={update} />
              ))}
            </ul>
          )}
          <GoalComments goalId={value.id} />
          <GoalAssessments goal={value} />
        </>
      )}
    </section>
  );
}

function MilestoneCard({
  milestone,
  onCheckedIn,
}: {
  milestone: Milestone;
  onCheckedIn: (goal: Goal) => void;
}) {
  return (
    <li class="card">
      <h2>{milestone.name}</h2>
      <ProgressBar
        progress={milestone.progress}
        color={milestone.progress_color}
        label={`Progress of ${milestone.name}`}
      />
      <p class="muted">
        {milestone.current_value} of {milestone.target_value} (from {milestone.start_value}) ·{' '}
        {milestone.unit}
      </p>
      <CheckInPanel
        target={{ kind: 'milestone', id: milestone.id }}
        name={milestone.name}
        current={milestone.current_value}
        onCheckedIn={onCheckedIn}
      />
    </li>
  );
}

interface PanelProps {
  target: CheckInTarget;
  name: string;
  current: number;
  onCheckedIn: (goal: Goal) => void;
}

/** The check-in form and the history it adds to: a chart, then the latest entries in words. */
function CheckInPanel({ target, name, current, onCheckedIn }: PanelProps) {
  const history = useLoad(() => checkInsOf(target), [target.kind, target.id]);
  const checkedIn = (goal: Goal) => {
    onCheckedIn(goal);
    history.reload();
  };
  return (
    <div class="checkin-panel">
      <CheckInForm target={target} name={name} current={current} onCheckedIn={checkedIn} />
      <div>
        <h3>History</h3>
        <ErrorBanner error={history.error} />
        {history.value && <LineChart checkIns={history.value} label={`History of ${name}`} />}
        <ol class="history">
          {history.value?.slice(0, 5).map((c) => (
            <li key={c.id}>
              <time dateTime={c.checked_in_at}>{new Date(c.checked_in_at).toLocaleString()}</time>:{' '}
              {c.value ?? '–'}
              {c.confidence !== null && ` · confidence ${Math.round(c.confidence * 100)}%`}
              {c.comment && ` · ${c.comment}`}
            </li>
          ))}
        </ol>
      </div>
    </div>
  );
}
