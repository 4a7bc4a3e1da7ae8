import { api, unwrap } from '../api/client';

type Status = 'not_started' | 'in_progress' | 'submitted' | 'shared' | 'completed';

export interface DeploymentProgress {
  /** The deployment's conversations this reader may read: all of them for a super admin. */
  readable: number;
  completed: number;
  notStarted: number;
}

/** How many of a deployment's conversations the list counts, with a status or without: one row read. */
const countOf = async (deploymentId: number, status?: Status) =>
  (
    await unwrap(
      api.GET('/v1/conversations', {
        params: { query: { deployment_id: deploymentId, size: 1, ...(status && { status }) } },
      }),
    )
  ).total_count;

/**
 * A deployment's progress as GET /v1/conversations counts it. The API has no totals by status, and its list
 * counts only what the reader may read (docs/conversations.md, "Who sees what"), so the screen says how
 * many that is beside the deployment's own conversation count.
 */
export async function deploymentProgress(deploymentId: number): Promise<DeploymentProgress> {
  const [readable, completed, notStarted] = await Promise.all([
    countOf(deploymentId),
    countOf(deploymentId, 'completed'),
    countOf(deploymentId, 'not_started'),
  ]);
  return { readable, completed, notStarted };
}
