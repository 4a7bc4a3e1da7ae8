import type { Goal } from '../api/client';

export interface TreeGoal {
  goal: Goal;
  children: TreeGoal[];
}

/** Goals under their parents; a goal whose parent the person cannot see starts a tree of its own. */
export function alignmentForest(goals: Goal[]): TreeGoal[] {
  const nodes = new Map(goals.map((goal): [number, TreeGoal] => [goal.id, { goal, children: [] }]));
  const roots: TreeGoal[] = [];
  for (const node of nodes.values()) {
    const parent = node.goal.parent_id === null ? undefined : nodes.get(node.goal.parent_id);
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/** The branches that lead to a goal whose name holds the search; the whole forest when it is empty. */
export function branchesMatching(forest: TreeGoal[], search: string): TreeGoal[] {
  const wanted = search.trim().toLowerCase();
  if (!wanted) return forest;
  return forest.flatMap((node) => {
    const children = branchesMatching(node.children, wanted);
    const hit = node.goal.name.toLowerCase().includes(wanted);
    return hit || children.length > 0 ? [{ ...node, children }] : [];
  });
}
