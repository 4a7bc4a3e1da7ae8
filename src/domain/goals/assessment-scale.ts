import type { Kysely } from 'kysely';
import type { AssessmentScale, DB } from '../../db/schema.js';
import { gates, pass } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { recordChange } from '../changes.js';
import { AppError } from '../errors.js';
import { inTenant, type Tenant } from '../tenant.js';

/** Five points, the most common performance scale, until an admin sets another. */
export const DEFAULT_SCALE: AssessmentScale = { min: 1, max: 5, step: 1, labels: [] };
/** A scale is for people to pick from: more than this many points is a mistake, not a scale. */
const MAX_POINTS = 101;
const EPSILON = 1e-9;

const invalid = (description: string) => new AppError('invalid_parameters', description);

export async function assessmentScale(db: Kysely<DB>, t: Tenant): Promise<AssessmentScale> {
  const row = await db
    .selectFrom('org_settings')
    .select('assessment_scale')
    .where(inTenant(t))
    .executeTakeFirst();
  return row?.assessment_scale ?? DEFAULT_SCALE;
}

/** Whether the score is one of the scale's points: within min..max and a whole number of steps from min. */
export function onScale(scale: AssessmentScale, score: number): boolean {
  // The bounds are exact, as the table's check is: -1e-197 is below 0, not on a scale that starts there.
  if (score < scale.min || score > scale.max) return false;
  const steps = (score - scale.min) / scale.step;
  return Math.abs(steps - Math.round(steps)) < EPSILON;
}

export function describeScale(scale: AssessmentScale): string {
  return `from ${scale.min} to ${scale.max} in steps of ${scale.step}`;
}

function checkScale(scale: AssessmentScale) {
  if (scale.min >= scale.max) throw invalid('min must be below max.');
  const points = (scale.max - scale.min) / scale.step;
  if (Math.abs(points - Math.round(points)) > EPSILON) {
    throw invalid('max must be a whole number of steps above min.');
  }
  if (points + 1 > MAX_POINTS) throw invalid(`A scale has at most ${MAX_POINTS} points.`);
  const seen = new Set<number>();
  for (const { score } of scale.labels) {
    if (!onScale(scale, score)) throw invalid(`The label for ${score} is not on the scale.`);
    if (seen.has(score)) throw invalid(`Score ${score} has two labels.`);
    seen.add(score);
  }
}

/**
 * Sets the scale new assessments use. Existing assessments keep the scale they were made on (each stores
 * its min and max), so changing it never reinterprets a score already given.
 */
export async function setAssessmentScale(db: Kysely<DB>, p: Principal, input: AssessmentScale) {
  pass(p, gates.configureGoals);
  const scale = { ...input, labels: [...input.labels].sort((a, b) => a.score - b.score) };
  checkScale(scale);
  return db.transaction().execute(async (trx) => {
    const before = await assessmentScale(trx, p);
    const json = JSON.stringify(scale);
    await trx
      .insertInto('org_settings')
      .values({ org_id: p.orgId, mode: p.mode, assessment_scale: json })
      .onConflict((c) =>
        c.columns(['org_id', 'mode']).doUpdateSet({ assessment_scale: json, updated_at: new Date() }),
      )
      .execute();
    await recordChange(trx, p, 'settings.assessment_scale_changed', null, {
      assessment_scale: { from: before, to: scale },
    });
    return scale;
  });
}
