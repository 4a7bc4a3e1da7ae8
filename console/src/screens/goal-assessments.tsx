import { api, type Goal, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { usersById } from '../api/users';
import { ErrorBanner } from '../components/error-banner';
import { SelectField } from '../components/select-field';
import { useFormSubmit } from '../components/use-action';
import { useLoad } from '../components/use-load';
import { displayName } from '../goals/load';
import { type AssessmentScale, scalePoints } from '../goals/scale';
import { useSession } from '../session';

type Assessment = components['schemas']['Assessment'];

const ROLE_WORDS: Record<Assessment['assessor_role'], string> = {
  self: 'self-assessment',
  manager: 'manager',
  team_lead: 'team lead',
  editor: 'editor',
  admin: 'admin',
};

/**
 * A goal's assessments (docs/goals.md, Assessments), and a form to add mine on the organisation's scale
 * while I have none. Who may assess is the API's to decide: a refusal shows in words, as any error.
 */
export function GoalAssessments({ goal }: { goal: Goal }) {
  const { session } = useSession();
  const loaded = useLoad(async () => {
    const [answer, scale] = await Promise.all([
      unwrap(
        api.GET('/v1/goals/{id}/assessments', { params: { path: { id: goal.id }, query: { size: 100 } } }),
      ),
      unwrap(api.GET('/v1/settings/assessment-scale')),
    ]);
    const assessors = await usersById(answer.data.map((a) => a.assessor_user_id));
    return { list: answer.data, scale: scale.data, assessors };
  }, [goal.id]);
  const value = loaded.value;
  const mine = value?.list.some((a) => a.assessor_user_id === session?.userId);
  return (
    <section class="goal-section" aria-labelledby="assessments-heading">
      <h2 id="assessments-heading">Assessments</h2>
      <ErrorBanner error={loaded.error} />
      {!value && !loaded.error && <p aria-live="polite">Loading…</p>}
      {value?.list.length === 0 && <p class="muted">Nobody has assessed this goal yet.</p>}
      <ul class="assessments">
        {value?.list.map((a) => (
          <li key={a.id}>
            <strong>
              {a.score} of {a.scale_min}–{a.scale_max}
            </strong>{' '}
            ·{' '}
            {a.assessor_user_id === session?.userId
              ? 'You'
              : displayName(value.assessors.get(a.assessor_user_id))}{' '}
            ({ROLE_WORDS[a.assessor_role]}){a.before_end && ' · mid-cycle'}
            {a.comment && <p class="comment-body">{a.comment}</p>}
          </li>
        ))}
      </ul>
      {value && !mine && <NewAssessment goal={goal} scale={value.scale} onAdded={loaded.reload} />}
    </section>
  );
}

interface FormProps {
  goal: Goal;
  scale: AssessmentScale;
  onAdded: () => void;
}

/** The form's fields as the API's body: the comment only when one was written. */
function assessmentOf(fields: FormData) {
  const comment = String(fields.get('comment')).trim();
  return {
    score: Number(fields.get('score')),
    before_end: fields.get('before_end') === 'on',
    ...(comment !== '' && { comment }),
  };
}

function NewAssessment({ goal, scale, onAdded }: FormProps) {
  // Only a hint for the box's first state: the API decides whether the goal has ended.
  const ongoing = goal.status === 'open' && goal.ends_on > new Date().toISOString().slice(0, 10);
  const action = useFormSubmit(
    (fields) =>
      unwrap(
        api.POST('/v1/goals/{id}/assessments', {
          params: { path: { id: goal.id } },
          body: assessmentOf(fields),
        }),
      ),
    onAdded,
  );
  return (
    <form class="stack" aria-label="Assess this goal" onSubmit={action.submit}>
      <h3>Assess this goal</h3>
      <ErrorBanner error={action.error} />
      <SelectField label="Score" name="score" required>
        {scalePoints(scale).map((point) => (
          <option key={point.score} value={point.score}>
            {point.label}
          </option>
        ))}
      </SelectField>
      <label>
        Why this score
        <textarea name="comment" rows={3} maxLength={4000} />
      </label>
      <label class="check">
        <input type="checkbox" name="before_end" defaultChecked={ongoing} />A mid-cycle review, before the
        goal ends
      </label>
      <button type="submit" disabled={action.busy}>
        {action.busy ? 'Saving…' : 'Save assessment'}
      </button>
    </form>
  );
}
