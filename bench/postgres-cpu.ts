import { readFileSync } from 'node:fs';
import pg from 'pg';

/** Linux reports process CPU time in clock ticks of 1/100 s on every common build. */
const TICK_MS = 10;

function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return null;
  }
}

/**
 * CPU time of the PostgreSQL backends serving one application_name, read from /proc: only works when the
 * server runs on this machine (null otherwise). A backend that starts during a run counts from zero.
 */
export function postgresCpu(adminUrl: string, applicationName: string) {
  const pids = async () => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ pid: number }>(
        'select pid from pg_stat_activity where application_name = $1',
        [applicationName],
      );
      return rows.map((r) => r.pid);
    } finally {
      await client.end();
    }
  };
  const sample = async () => {
    const times = new Map<number, number>();
    for (const pid of await pids()) {
      const ms = processCpuMs(pid);
      if (ms !== null) times.set(pid, ms);
    }
    return times;
  };
  return {
    /** Starts measuring; the returned function gives the milliseconds used since, or null if unknown. */
    async start() {
      const before = await sample();
      return async (): Promise<number | null> => {
        const after = await sample();
        if (after.size === 0) return null;
        let total = 0;
        for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
        return total;
      };
    },
  };
}
