import type { CheckIn } from '../goals/checkins';

const WIDTH = 320;
const HEIGHT = 100;
const PAD = 8;

/** Check-in values over time as one line; a single point is drawn as a dot. */
export function LineChart({ checkIns, label }: { checkIns: CheckIn[]; label: string }) {
  const points = checkIns
    .filter((c) => c.value !== null)
    .map((c) => ({ id: c.id, t: Date.parse(c.checked_in_at), v: c.value as number }))
    .sort((a, b) => a.t - b.t);
  if (points.length === 0) return <p class="muted">No check-ins yet.</p>;
  const [t0, t1] = [points[0]?.t ?? 0, points.at(-1)?.t ?? 0];
  const values = points.map((p) => p.v);
  const [v0, v1] = [Math.min(...values), Math.max(...values)];
  const x = (t: number) =>
    PAD + (t1 === t0 ? (WIDTH - 2 * PAD) / 2 : ((t - t0) / (t1 - t0)) * (WIDTH - 2 * PAD));
  const y = (v: number) =>
    HEIGHT - PAD - (v1 === v0 ? (HEIGHT - 2 * PAD) / 2 : ((v - v0) / (v1 - v0)) * (HEIGHT - 2 * PAD));
  const line = points.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
  const summary = `${label}: ${points.length} check-in${points.length === 1 ? '' : 's'}, from ${v0} to ${v1}, latest ${values.at(-1)}`;
  return (
    <svg class="line-chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary}>
      <polyline points={line} />
      {points.map((p) => (
        <circle key={p.id} cx={x(p.t)} cy={y(p.v)} r={3} />
      ))}
    </svg>
  );
}
