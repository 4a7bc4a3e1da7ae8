import { useState } from 'preact/hooks';
import type { User } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { ProgressBar } from '../components/progress-bar';
import { useLoad } from '../components/use-load';
import { allVisibleGoals, displayName, ownersOf } from '../goals/load';
import { alignmentForest, branchesMatching, type TreeGoal } from '../goals/tree-model';

/** The organisation's goals under the goals they align to: expandable, searchable by name. */
export function TreeScreen() {
  const tree = useLoad(async () => {
    const goals = await allVisibleGoals();
    return { forest: alignmentForest(goals), owners: await ownersOf(goals) };
  }, []);
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState<Set<number>>(new Set());
  const toggle = (id: number) =>
    setOpen((before) => {
      const after = new Set(before);
      if (!after.delete(id)) after.add(id);
      return after;
    });
  const shown = tree.value ? branchesMatching(tree.value.forest, search) : [];

  return (
    <section>
      <h1>Alignment</h1>
      <ErrorBanner error={tree.error} />
      <label class="search">
        Search goals by name
        <input type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
      </label>
      {tree.value && shown.length === 0 && <p>No goal matches.</p>}
      <Branches
        nodes={shown}
        owners={tree.value?.owners ?? new Map()}
        isOpen={(id) => search.trim() !== '' || open.has(id)}
        toggle={toggle}
      />
    </section>
  );
}

interface BranchProps {
  nodes: TreeGoal[];
  owners: Map<number, User>;
  isOpen: (id: number) => boolean;
  toggle: (id: number) => void;
}

function Branches({ nodes, ...rest }: BranchProps) {
  return (
    <ul class="tree">
      {nodes.map((node) => (
        <TreeRow key={node.goal.id} node={node} {...rest} />
      ))}
    </ul>
  );
}

function TreeRow({ node, owners, isOpen, toggle }: Omit<BranchProps, 'nodes'> & { node: TreeGoal }) {
  const { goal, children } = node;
  const open = isOpen(goal.id);
  const owner =
    goal.owner_user_id === null ? 'a team or department' : displayName(owners.get(goal.owner_user_id));
  return (
    <li>
      <div class="tree-row">
        {children.length > 0 ? (
          <button
            type="button"
            class="disclosure"
            aria-expanded={open}
            aria-controls={`children-${goal.id}`}
            aria-label={`${open ? 'Collapse' : 'Expand'} ${goal.name}`}
            onClick={() => toggle(goal.id)}
          >
            {open ? '▾' : '▸'}
          </button>
        ) : (
          <span class="disclosure-space" />
        )}
        <a href={`/goals/${goal.id}`}>{goal.name}</a>
        <span class="muted">{owner}</span>
        <ProgressBar
          progress={goal.progress}
          color={goal.progress_color}
          label={`Progress of ${goal.name}`}
        />
      </div>
      {open && children.length > 0 && (
        <div id={`children-${goal.id}`}>
          <Branches nodes={children} owners={owners} isOpen={isOpen} toggle={toggle} />
        </div>
      )}
    </li>
  );
}
