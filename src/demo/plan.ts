import type { Role } from '../db/schema.js';
import { FIRST_NAMES, LAST_NAMES } from './names.js';
import { type Random, seededRandom } from './random.js';
import { DEMO_ADMIN, DEMO_ORG, DEPARTMENTS, type DepartmentSpec } from './roster.js';

export type Rank = 'ceo' | 'head' | 'manager' | 'ic';

export interface PlannedPerson {
  /** Index in DemoPlan.people; managers always come before their reports. */
  ref: number;
  first_name: string;
  last_name: string;
  email: string;
  employee_id: string;
  title: string;
  department: string;
  manager: number | null;
  location: string;
  hire_date: string;
  phone: string | null;
  role: Role;
  data_admin: boolean;
  custom_fields: Record<string, unknown>;
  rank: Rank;
  /** The organisation's super admin, created by createOrganization and completed by the seed. */
  isAdmin: boolean;
}

export interface DemoPlan {
  departments: { name: string; parent: string | null }[];
  people: PlannedPerson[];
  /** [person, dotted-line manager] */
  dotted: [number, number][];
  groups: { name: string; description: string; members: number[] }[];
  teams: {
    name: string;
    kind: 'functional' | 'working_group';
    description: string;
    members: { ref: number; role: 'owner' | 'manager' | 'member' }[];
  }[];
  hrScopes: { ref: number; department: string }[];
}

/** The last hire date, fixed rather than "today" so that the plan never changes. */
const LAST_HIRE = '2025-06-30';
const HIRED_FROM: Record<Rank, [string, string]> = {
  ceo: ['2015-04-01', '2015-04-01'],
  head: ['2015-09-01', '2020-12-31'],
  manager: ['2017-01-01', '2023-06-30'],
  ic: ['2018-01-01', LAST_HIRE],
};

const levelOf = (rank: Rank, title: string) => {
  if (rank === 'ceo') return 'E1';
  if (rank === 'head') return title.startsWith('Director') ? 'M3' : 'M4';
  if (rank === 'manager') return 'M2';
  if (title.startsWith('Staff')) return 'IC5';
  return title.startsWith('Senior') ? 'IC4' : 'IC3';
};

/** Builds the demo directory from a seed: pure, so the same seed always gives the same company. */
export function planDemo(seed = 20240101): DemoPlan {
  const rng = seededRandom(seed);
  const people: PlannedPerson[] = [];
  const heads = new Map<string, number>();
  const emails = new Set<string>([DEMO_ADMIN.email]);
  let phones = 0;

  const add = (p: { title: string; rank: Rank; dept: DepartmentSpec; manager: number | null }) => {
    const [first, last] = uniqueName(rng, emails);
    const managerHired = p.manager === null ? undefined : people[p.manager]?.hire_date;
    const [from, to] = HIRED_FROM[p.rank];
    const earliest = p.rank === 'ic' && managerHired && managerHired > from ? managerHired : from;
    const ref = people.length;
    people.push({
      ref,
      first_name: first,
      last_name: last,
      email: emailOf(first, last, emails),
      employee_id: `JA-${String(1001 + ref)}`,
      title: p.title,
      department: p.dept.name,
      manager: p.manager,
      location: rng.pick(p.dept.locations),
      hire_date: rng.date(earliest, to),
      // 555-0100 to 555-0199 are the numbers set aside for fiction; managers and above have one.
      phone: p.rank === 'ic' ? null : `+1-202-555-${String(100 + phones++).padStart(4, '0')}`,
      role: 'member',
      data_admin: false,
      custom_fields: { level: levelOf(p.rank, p.title), cost_center: p.dept.costCenter },
      rank: p.rank,
      isAdmin: false,
    });
    return ref;
  };

  for (const dept of DEPARTMENTS) {
    const parentHead = dept.parent ? heads.get(dept.parent) : heads.get('Executive Office');
    const isCeo = heads.size === 0;
    const head = add({ title: dept.head, rank: isCeo ? 'ceo' : 'head', dept, manager: parentHead ?? null });
    heads.set(dept.name, head);
    for (const title of dept.staff ?? []) add({ title, rank: 'ic', dept, manager: head });
    for (const unit of dept.units) {
      const manager = add({ title: unit.manager, rank: 'manager', dept, manager: head });
      for (let i = 0; i < unit.size; i++) {
        add({ title: unit.ics[i % unit.ics.length] ?? unit.manager, rank: 'ic', dept, manager });
      }
    }
  }
  addAdmin(people);
  assignRoles(people);
  return {
    departments: DEPARTMENTS.map((d) => ({ name: d.name, parent: d.parent ?? null })),
    people,
    dotted: dottedLines(people),
    groups: groupsOf(people),
    teams: teamsOf(people),
    hrScopes: hrScopesOf(people),
  };
}

function uniqueName(rng: Random, emails: Set<string>): [string, string] {
  for (let attempt = 0; attempt < 20; attempt++) {
    const name: [string, string] = [rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES)];
    if (!emails.has(baseEmail(...name))) return name;
  }
  return [rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES)];
}

const baseEmail = (first: string, last: string) => `${first}.${last}@${DEMO_ORG.domain}`.toLowerCase();

/** first.last@domain, with a number when two people share a name, as mail systems do. */
function emailOf(first: string, last: string, taken: Set<string>): string {
  let email = baseEmail(first, last);
  for (let n = 2; taken.has(email); n++) email = email.replace(/\d*@/, `${n}@`);
  taken.add(email);
  return email;
}

/** The super admin sits in People Operations like any colleague. */
function addAdmin(people: PlannedPerson[]) {
  const manager = byTitle(people, 'People Operations Manager')[0] ?? 0;
  const ref = people.length;
  people.push({
    ref,
    ...DEMO_ADMIN,
    employee_id: `JA-${1001 + ref}`,
    department: 'People',
    manager,
    location: 'San Francisco',
    hire_date: '2019-03-04',
    phone: null,
    role: 'super_admin',
    data_admin: false,
    custom_fields: { level: 'IC4', cost_center: 'CC-700' },
    rank: 'ic',
    isAdmin: true,
  });
}

const byTitle = (people: PlannedPerson[], ...titles: string[]) =>
  people.filter((p) => titles.includes(p.title)).map((p) => p.ref);
const headOf = (people: PlannedPerson[], title: string) => byTitle(people, title)[0] ?? 0;
const reportsOf = (people: PlannedPerson[], ref: number) =>
  people.filter((p) => p.manager === ref).map((p) => p.ref);

/** A VP of People who administers, HR business partners scoped to their client groups, an analyst with the data grant. */
function assignRoles(people: PlannedPerson[]) {
  for (const ref of byTitle(people, 'VP of People')) (people[ref] as PlannedPerson).role = 'admin';
  for (const ref of byTitle(people, 'HR Business Partner')) (people[ref] as PlannedPerson).role = 'hr_admin';
  const analyst = byTitle(people, 'Senior Data Analyst')[0];
  if (analyst !== undefined) (people[analyst] as PlannedPerson).data_admin = true;
}

const HR_CLIENT_GROUPS = [
  ['Engineering', 'Product'],
  ['Sales', 'Marketing', 'Customer Success'],
];

function hrScopesOf(people: PlannedPerson[]) {
  return byTitle(people, 'HR Business Partner').flatMap((ref, i) =>
    (HR_CLIENT_GROUPS[i % HR_CLIENT_GROUPS.length] ?? []).map((department) => ({ ref, department })),
  );
}

function dottedLines(people: PlannedPerson[]): [number, number][] {
  const [hrbpEng, hrbpGtm] = byTitle(people, 'HR Business Partner');
  const lines: [number, number][] = [];
  if (hrbpEng !== undefined) lines.push([hrbpEng, headOf(people, 'VP of Engineering')]);
  if (hrbpGtm !== undefined) lines.push([hrbpGtm, headOf(people, 'VP of Sales')]);
  const appsDirector = headOf(people, 'Director of Application Engineering');
  for (const pm of byTitle(people, 'Product Manager', 'Senior Product Manager').slice(0, 3)) {
    lines.push([pm, appsDirector]);
  }
  lines.push([headOf(people, 'Sales Operations Manager'), headOf(people, 'Chief Financial Officer')]);
  return lines;
}

function groupsOf(people: PlannedPerson[]): DemoPlan['groups'] {
  const ceo = headOf(people, 'Chief Executive Officer');
  const managers = people.filter((p) => reportsOf(people, p.ref).length > 0).map((p) => p.ref);
  const where = (test: (p: PlannedPerson) => boolean) => people.filter(test).map((p) => p.ref);
  return [
    {
      name: 'Leadership Team',
      description: 'The CEO, the chief of staff and the heads of the top-level departments.',
      members: [
        ceo,
        ...byTitle(people, 'Chief of Staff'),
        ...reportsOf(people, ceo).filter((r) => people[r]?.rank === 'head'),
      ],
    },
    { name: 'People Managers', description: 'Everyone with direct reports.', members: managers },
    {
      name: 'Remote Employees',
      description: 'People who work remotely.',
      members: where((p) => p.location === 'Remote'),
    },
    {
      name: 'New York Office',
      description: 'People based in New York.',
      members: where((p) => p.location === 'New York'),
    },
    {
      name: '2024 Hires',
      description: 'Joined in 2024.',
      members: where((p) => p.hire_date.startsWith('2024')),
    },
  ];
}

function teamsOf(people: PlannedPerson[]): DemoPlan['teams'] {
  const team = (owner: number, managers: number[], members: number[]) => [
    { ref: owner, role: 'owner' as const },
    ...managers.map((ref) => ({ ref, role: 'manager' as const })),
    ...members.map((ref) => ({ ref, role: 'member' as const })),
  ];
  const first = (n: number, ...titles: string[]) => byTitle(people, ...titles).slice(0, n);
  const infra = headOf(people, 'Engineering Manager, Infrastructure');
  const onboarding = headOf(people, 'Onboarding Manager');
  const analytics = headOf(people, 'Analytics Manager');
  return [
    {
      name: 'Platform Reliability',
      kind: 'functional',
      description: 'Keeps the platform up: on-call, capacity and incident reviews.',
      members: team(headOf(people, 'Director of Platform Engineering'), [infra], reportsOf(people, infra)),
    },
    {
      name: 'Checkout Revamp',
      kind: 'working_group',
      description: 'A cross-functional squad rebuilding the checkout flow this year.',
      members: team(
        headOf(people, 'Group Product Manager'),
        [headOf(people, 'Engineering Manager, Web')],
        [
          ...first(2, 'Product Manager'),
          ...first(2, 'Product Designer'),
          ...reportsOf(people, headOf(people, 'Engineering Manager, Web')).slice(0, 4),
        ],
      ),
    },
    {
      name: 'Enterprise Launch',
      kind: 'working_group',
      description: 'Takes the enterprise edition to market.',
      members: team(
        headOf(people, 'VP of Marketing'),
        [headOf(people, 'Product Marketing Manager')],
        [
          ...first(2, 'Product Marketing Specialist'),
          ...first(2, 'Enterprise Account Executive'),
          ...first(1, 'Customer Success Manager'),
          ...first(1, 'Senior Product Manager'),
        ],
      ),
    },
    {
      name: 'Data Council',
      kind: 'working_group',
      description: 'Agrees on metric definitions across departments.',
      members: team(
        headOf(people, 'Director of Data'),
        [analytics],
        [
          ...reportsOf(people, analytics),
          ...first(1, 'Financial Analyst'),
          ...first(1, 'People Operations Specialist'),
        ],
      ),
    },
    {
      name: 'Customer Onboarding',
      kind: 'functional',
      description: 'Gets new customers live in their first 30 days.',
      members: team(onboarding, [], reportsOf(people, onboarding)),
    },
  ];
}
