import type { Transaction } from 'kysely';
import type { DB, GoalVisibility, MetricDirection, MetricUnit } from '../db/schema.js';
import type { Principal } from '../domain/access/principal.js';
import { insertGoal } from '../domain/goals/service.js';
import type { GoalFields, NewMilestone } from '../domain/goals/types.js';
import { insertPeriod } from '../domain/periods/service.js';
import type { DemoPlan, PlannedPerson } from './plan.js';
import { type Random, seededRandom } from './random.js';
import type { IdsOf } from './seed.js';

/** [name, unit, start, target, direction] of a key result; the demo sets how far along it is. */
type KeyResult = [string, MetricUnit, number, number, MetricDirection?];
interface Objective {
  name: string;
  keyResults: KeyResult[];
}

const COMPANY: Objective[] = [
  {
    name: 'Become the analytics platform mid-market teams choose first',
    keyResults: [
      ['Annual recurring revenue (M$)', 'currency', 18, 26],
      ['Net revenue retention', 'percent', 104, 115],
      ['Logo churn', 'percent', 9, 5, 'decrease'],
    ],
  },
  {
    name: 'Ship a product customers can run without us',
    keyResults: [
      ['Weekly active workspaces', 'number', 1200, 2000],
      ['Median time to first dashboard (minutes)', 'number', 45, 10, 'decrease'],
    ],
  },
  {
    name: 'Build a company people want to stay at',
    keyResults: [
      ['Engagement survey score', 'percent', 71, 80],
      ['Regretted attrition', 'percent', 8, 4, 'decrease'],
    ],
  },
];

/**
 * Each department's objective: a top-level department's aligned under a company objective (by index), a
 * sub-department's under its parent's.
 */
const DEPARTMENT_GOALS: Record<string, Objective & { alignsTo?: number }> = {
  'Executive Office': {
    name: 'Run a planning rhythm the whole company follows',
    alignsTo: 2,
    keyResults: [['Quarterly plans published on time', 'percent', 50, 100]],
  },
  Engineering: {
    name: 'Make the platform fast and dependable at twice the load',
    alignsTo: 1,
    keyResults: [
      ['Availability', 'percent', 99.5, 99.95],
      ['p95 query latency (ms)', 'number', 1800, 800, 'decrease'],
    ],
  },
  Platform: {
    name: 'Cut infrastructure toil in half',
    keyResults: [['Pages per on-call week', 'number', 14, 6, 'decrease']],
  },
  Applications: {
    name: 'Ship self-serve onboarding',
    keyResults: [
      ['Guided setup launched', 'binary', 0, 1],
      ['Onboarding steps without support', 'percent', 40, 90],
    ],
  },
  Data: {
    name: 'Give every customer a trustworthy semantic layer',
    keyResults: [['Certified metrics in the catalogue', 'number', 20, 120]],
  },
  Product: {
    name: 'Find and fix the biggest reasons trials stall',
    alignsTo: 1,
    keyResults: [
      ['Trial to paid conversion', 'percent', 11, 18],
      ['Customer interviews held', 'number', 0, 60],
    ],
  },
  Sales: {
    name: 'Build a predictable mid-market pipeline',
    alignsTo: 0,
    keyResults: [
      ['New bookings (M$)', 'currency', 0, 8],
      ['Pipeline coverage (x)', 'number', 2, 3.5],
    ],
  },
  'Enterprise Sales': {
    name: 'Land ten enterprise logos',
    keyResults: [['Enterprise logos signed', 'number', 0, 10]],
  },
  'Mid-Market Sales': {
    name: 'Shorten the mid-market sales cycle',
    keyResults: [['Median days to close', 'number', 62, 40, 'decrease']],
  },
  Marketing: {
    name: 'Fill the funnel with teams that fit',
    alignsTo: 0,
    keyResults: [
      ['Marketing-qualified leads a month', 'number', 400, 700],
      ['Cost per qualified lead ($)', 'currency', 310, 220, 'decrease'],
    ],
  },
  'Customer Success': {
    name: 'Turn every account into a reference',
    alignsTo: 0,
    keyResults: [
      ['Net promoter score', 'number', 31, 45],
      ['Accounts with an executive sponsor', 'percent', 35, 75],
    ],
  },
  People: {
    name: 'Hire well and help managers grow',
    alignsTo: 2,
    keyResults: [
      ['Offers accepted', 'percent', 72, 85],
      ['Managers through the leadership programme', 'number', 0, 30],
    ],
  },
  Finance: {
    name: 'Close the books in five days',
    alignsTo: 2,
    keyResults: [['Days to close the month', 'number', 11, 5, 'decrease']],
  },
};

/** A manager's own objective, aligned under their department's: one of these, in turn. */
const MANAGER_GOALS: Objective[] = [
  {
    name: "Deliver the team's commitments for the half",
    keyResults: [
      ['Roadmap commitments delivered', 'number', 0, 6],
      ['Weekly updates shared', 'number', 0, 26],
    ],
  },
  {
    name: 'Grow the team and bring new people up to speed',
    keyResults: [
      ['Open roles filled', 'number', 0, 3],
      ['New hires productive within 30 days', 'percent', 50, 100],
    ],
  },
  {
    name: 'Raise the quality of what the team ships',
    keyResults: [['Escaped defects a month', 'number', 12, 4, 'decrease']],
  },
];

/** The calendar half that `today` (YYYY-MM-DD) falls in, so that the demo's goals are current. */
export function halfOf(today: string) {
  const year = today.slice(0, 4);
  const second = today.slice(5, 7) > '06';
  return {
    name: `${second ? 'H2' : 'H1'} ${year}`,
    starts_on: `${year}-${second ? '07-01' : '01-01'}`,
    ends_on: `${year}-${second ? '12-31' : '06-30'}`,
  };
}

/**
 * The demo company's OKRs for the current half, created through the goals service in the seed's
 * transaction: company objectives owned by the CEO, one per department aligned under them (sub-departments
 * under their parent's), and one for each manager under their department's. Key results are part-way
 * along, from a seed of the directory's, so progress and its colours show as they would in real use.
 */
export async function seedGoals(
  trx: Transaction<DB>,
  actor: Principal,
  plan: DemoPlan,
  ids: IdsOf,
  today: string,
) {
  const rng = seededRandom(plan.people.length * 7919);
  const period = await insertPeriod(trx, actor, halfOf(today));
  const goal = async (o: Objective, owner: number, fields: GoalFields) =>
    insertGoal(trx, actor, {
      name: o.name,
      period_id: period.id,
      milestones: keyResultsOf(rng, owner, o.keyResults),
      ...fields,
    });

  const ceo = only(plan.people, (p) => p.rank === 'ceo');
  const company: number[] = [];
  for (const o of COMPANY) {
    company.push(
      await goal(o, ids.userId(ceo.ref), { goal_type: 'company', owner_user_id: ids.userId(ceo.ref) }),
    );
  }
  const departmentGoals = new Map<string, number>();
  for (const d of plan.departments) {
    const o = DEPARTMENT_GOALS[d.name];
    if (!o) continue;
    const head = only(plan.people, (p) => p.department === d.name && (p.rank === 'head' || p.rank === 'ceo'));
    const parent = (d.parent ? departmentGoals.get(d.parent) : company[o.alignsTo ?? 0]) ?? null;
    const id = await goal(o, ids.userId(head.ref), {
      owner_department_id: ids.deptId(d.name),
      parent_id: parent,
    });
    departmentGoals.set(d.name, id);
  }
  const managers = plan.people.filter((p) => p.rank === 'manager');
  for (const [i, m] of managers.entries()) {
    const o = MANAGER_GOALS[i % MANAGER_GOALS.length] as Objective;
    const visibility: GoalVisibility = i % 5 === 4 ? 'private' : 'public';
    const parent = departmentGoals.get(m.department) ?? null;
    await goal(o, ids.userId(m.ref), { owner_user_id: ids.userId(m.ref), parent_id: parent, visibility });
  }
  return { company, departmentGoals };
}

export type DemoGoals = Awaited<ReturnType<typeof seedGoals>>;

/** Key results part-way along: up to 90% of the way from start to target, binary ones done or not. */
function keyResultsOf(rng: Random, owner: number, krs: KeyResult[]): NewMilestone[] {
  return krs.map(([name, unit, start, target, direction = 'increase']) => ({
    name,
    unit,
    start_value: start,
    target_value: target,
    direction,
    owner_user_id: owner,
    ...(unit === 'currency' && { currency_code: 'USD' }),
    current_value: unit === 'binary' ? rng.int(0, 1) : round(start + (target - start) * rng.next() * 0.9),
  }));
}

const round = (n: number) => Math.round(n * 100) / 100;

function only(people: PlannedPerson[], test: (p: PlannedPerson) => boolean): PlannedPerson {
  const found = people.find(test);
  if (!found) throw new Error('the demo plan has nobody for a goal');
  return found;
}
