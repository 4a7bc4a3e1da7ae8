import { type Kysely, sql } from 'kysely';
import type { DB, GoalStatus, GoalType, ProgressSource } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { notFound } from '../errors.js';
import { goalColor, type ProgressColor } from './progress.js';
import { findVisibleGoal } from './references.js';
import { visibleGoalSql } from './visibility.js';

interface TreeRow {
  id: number;
  parent_id: number | null;
  name: string;
  goal_type: GoalType;
  owner_user_id: number | null;
  owner_team_id: number | null;
  owner_department_id: number | null;
  status: GoalStatus;
  progress_source: ProgressSource;
  progress: number;
  starts_on: string;
  ends_on: string;
  depth: number;
  visible: boolean;
  has_more: boolean;
}

export type TreeNode = Omit<TreeRow, 'depth' | 'visible'> & {
  progress_color: ProgressColor;
  children: TreeNode[];
};

/**
 * The goal and the goals aligned under it, down to `depth` levels, with progress. A goal the principal
 * cannot see is left out together with everything under it; `has_more` marks goals cut by the depth limit.
 */
export async function goalTree(
  db: Kysely<DB>,
  p: Principal,
  rootId: number,
  depth: number,
): Promise<TreeNode> {
  if (!(await findVisibleGoal(db, p, rootId))) throw notFound('goal');
  const visible = visibleGoalSql(p) ?? sql<boolean>`true`;
  const result = await sql<TreeRow>`
    with recursive sub(id, depth) as (
      select ${rootId}::bigint, 0
      union all
      select g.id, s.depth + 1 from goals g join sub s on g.parent_id = s.id
      where g.org_id = ${p.orgId} and g.mode = ${p.mode} and g.deleted_at is null and s.depth < ${depth}
    )
    select goals.id, goals.parent_id, goals.name, goals.goal_type, goals.owner_user_id, goals.owner_team_id,
      goals.owner_department_id, goals.status, goals.progress_source, goals.progress, goals.starts_on,
      goals.ends_on, sub.depth, ${visible} as visible,
      (sub.depth = ${depth} and exists (select 1 from goals c where c.org_id = goals.org_id
        and c.mode = goals.mode and c.parent_id = goals.id and c.deleted_at is null)) as has_more
    from sub join goals on goals.org_id = ${p.orgId} and goals.mode = ${p.mode} and goals.id = sub.id
    order by sub.depth, goals.id`.execute(db);
  const now = new Date();
  const nodes = new Map<number, TreeNode>();
  for (const { depth: _depth, visible: isVisible, ...row } of result.rows) {
    const parent = row.parent_id === null ? undefined : nodes.get(Number(row.parent_id));
    if (!isVisible || (Number(row.id) !== rootId && !parent)) continue;
    const node: TreeNode = {
      ...row,
      id: Number(row.id),
      progress: Number(row.progress),
      progress_color: goalColor({ ...row, progress: Number(row.progress) }, now),
      children: [],
    };
    nodes.set(node.id, node);
    parent?.children.push(node);
  }
  return nodes.get(rootId) as TreeNode;
}
