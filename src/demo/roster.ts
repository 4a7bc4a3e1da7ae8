/** The fixed facts of the demo company; plan.ts turns them into people with a seeded PRNG. */

export const DEMO_ORG = { name: 'Juniper Analytics', slug: 'demo', domain: 'juniper.example' } as const;

/** The super admin whose key `serve --demo` prints: a People Systems manager, as in a real rollout. */
export const DEMO_ADMIN = {
  first_name: 'Morgan',
  last_name: 'Reyes',
  email: `morgan.reyes@${DEMO_ORG.domain}`,
  title: 'People Systems Manager',
} as const;

/** ICs report to a manager in groups of `size`; the first IC title is the most common. */
export interface Unit {
  manager: string;
  ics: readonly string[];
  size: number;
}

export interface DepartmentSpec {
  name: string;
  parent?: string;
  /** The head's title; heads of top-level departments report to the CEO, others to their parent's head. */
  head: string;
  /** People who report to the head directly, such as a chief of staff. */
  staff?: readonly string[];
  units: readonly Unit[];
  locations: readonly string[];
  costCenter: string;
}

const US = ['San Francisco', 'San Francisco', 'New York', 'Remote'];
const EU = ['London', 'Berlin', 'Remote'];

export const DEPARTMENTS: readonly DepartmentSpec[] = [
  {
    name: 'Executive Office',
    head: 'Chief Executive Officer',
    staff: ['Chief of Staff', 'Executive Assistant'],
    units: [],
    locations: ['San Francisco'],
    costCenter: 'CC-100',
  },
  {
    name: 'Engineering',
    head: 'VP of Engineering',
    staff: ['Technical Program Manager', 'Technical Program Manager'],
    units: [],
    locations: [...US, 'Toronto'],
    costCenter: 'CC-200',
  },
  {
    name: 'Platform',
    parent: 'Engineering',
    head: 'Director of Platform Engineering',
    units: [
      {
        manager: 'Engineering Manager, Infrastructure',
        ics: engineers('Site Reliability Engineer'),
        size: 8,
      },
      { manager: 'Engineering Manager, Developer Experience', ics: engineers('Software Engineer'), size: 7 },
    ],
    locations: [...US, 'Toronto', 'Berlin'],
    costCenter: 'CC-210',
  },
  {
    name: 'Applications',
    parent: 'Engineering',
    head: 'Director of Application Engineering',
    units: [
      { manager: 'Engineering Manager, Web', ics: engineers('Software Engineer'), size: 9 },
      { manager: 'Engineering Manager, Mobile', ics: engineers('Mobile Engineer'), size: 7 },
      { manager: 'Engineering Manager, Integrations', ics: engineers('Software Engineer'), size: 7 },
      { manager: 'QA Manager', ics: ['QA Engineer', 'Senior QA Engineer'], size: 4 },
    ],
    locations: [...US, 'Toronto'],
    costCenter: 'CC-220',
  },
  {
    name: 'Data',
    parent: 'Engineering',
    head: 'Director of Data',
    units: [
      { manager: 'Data Engineering Manager', ics: ['Data Engineer', 'Senior Data Engineer'], size: 6 },
      {
        manager: 'Analytics Manager',
        ics: ['Data Analyst', 'Senior Data Analyst', 'Data Scientist'],
        size: 6,
      },
    ],
    locations: [...US, ...EU],
    costCenter: 'CC-230',
  },
  {
    name: 'Product',
    head: 'VP of Product',
    units: [
      { manager: 'Group Product Manager', ics: ['Product Manager', 'Senior Product Manager'], size: 6 },
      {
        manager: 'Design Manager',
        ics: ['Product Designer', 'Senior Product Designer', 'UX Researcher'],
        size: 5,
      },
    ],
    locations: [...US, 'London'],
    costCenter: 'CC-300',
  },
  {
    name: 'Sales',
    head: 'VP of Sales',
    units: [{ manager: 'Sales Operations Manager', ics: ['Sales Operations Analyst'], size: 4 }],
    locations: US,
    costCenter: 'CC-400',
  },
  {
    name: 'Enterprise Sales',
    parent: 'Sales',
    head: 'Director of Enterprise Sales',
    units: [
      {
        manager: 'Regional Sales Manager, Americas',
        ics: accountExecutives('Enterprise Account Executive'),
        size: 7,
      },
      {
        manager: 'Regional Sales Manager, EMEA',
        ics: accountExecutives('Enterprise Account Executive'),
        size: 6,
      },
    ],
    locations: ['New York', 'San Francisco', 'London', 'Remote'],
    costCenter: 'CC-410',
  },
  {
    name: 'Mid-Market Sales',
    parent: 'Sales',
    head: 'Director of Mid-Market Sales',
    units: [
      { manager: 'Sales Manager, Mid-Market', ics: accountExecutives('Account Executive'), size: 8 },
      { manager: 'Sales Development Manager', ics: ['Sales Development Representative'], size: 7 },
    ],
    locations: ['New York', 'Toronto', 'Remote'],
    costCenter: 'CC-420',
  },
  {
    name: 'Marketing',
    head: 'VP of Marketing',
    units: [
      { manager: 'Product Marketing Manager', ics: ['Product Marketing Specialist'], size: 5 },
      {
        manager: 'Demand Generation Manager',
        ics: ['Marketing Specialist', 'Marketing Operations Analyst'],
        size: 7,
      },
      { manager: 'Content Lead', ics: ['Content Writer', 'Brand Designer'], size: 4 },
    ],
    locations: ['San Francisco', 'New York', 'London', 'Remote'],
    costCenter: 'CC-500',
  },
  {
    name: 'Customer Success',
    head: 'VP of Customer Success',
    units: [
      { manager: 'Customer Success Manager, Enterprise', ics: ['Customer Success Manager'], size: 7 },
      { manager: 'Support Manager', ics: ['Support Engineer', 'Senior Support Engineer'], size: 10 },
      { manager: 'Onboarding Manager', ics: ['Implementation Specialist'], size: 6 },
    ],
    locations: ['New York', 'Toronto', 'London', 'Berlin', 'Remote'],
    costCenter: 'CC-600',
  },
  {
    name: 'People',
    head: 'VP of People',
    units: [
      { manager: 'Talent Acquisition Manager', ics: ['Recruiter', 'Recruiting Coordinator'], size: 4 },
      {
        manager: 'People Operations Manager',
        ics: ['HR Business Partner', 'People Operations Specialist'],
        size: 4,
      },
    ],
    locations: ['San Francisco', 'New York', 'London'],
    costCenter: 'CC-700',
  },
  {
    name: 'Finance',
    head: 'Chief Financial Officer',
    units: [
      { manager: 'Controller', ics: ['Accountant', 'Senior Accountant'], size: 4 },
      { manager: 'FP&A Manager', ics: ['Financial Analyst'], size: 3 },
      { manager: 'Legal Counsel', ics: ['Paralegal', 'Contracts Manager'], size: 2 },
    ],
    locations: ['San Francisco', 'New York'],
    costCenter: 'CC-800',
  },
];

function engineers(base: string): string[] {
  return [base, `Senior ${base}`, base, `Senior ${base}`, `Staff ${base}`];
}

function accountExecutives(base: string): string[] {
  return [base, base, `Senior ${base}`];
}
