import type { Cycle, TalentRecord } from './cycles';

const BANDS = ['Low', 'Middle', 'High'];

/**
 * The 3×3 grid with how many records sit in each box, as a table: potential rows (high first) by performance
 * columns. The API names each record's box; this only counts the records the reader sees.
 */
export function NineBox({ cycle, records }: { cycle: Cycle; records: TalentRecord[] | undefined }) {
  if (cycle.state === 'draft') return <p>A draft has no talent records: open the cycle to make them.</p>;
  if (!records) return <p aria-live="polite">Counting the boxes…</p>;
  const counts = new Map<string, number>();
  for (const record of records) if (record.box) counts.set(record.box, (counts.get(record.box) ?? 0) + 1);
  const boxAt = (potential: number, performance: number) =>
    cycle.grid.find((b) => b.potential_band === potential && b.performance_band === performance)?.name ?? '';
  const unboxed = records.filter((r) => !r.box).length;
  return (
    <>
      <table class="nine-box">
        <caption>Talent records per box: potential by performance</caption>
        <thead>
          <tr>
            <td aria-hidden="true">Potential \ performance</td>
            {BANDS.map((band) => (
              <th key={band} scope="col">
                <span class="visually-hidden">Performance </span>
                {band}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {[2, 1, 0].map((potential) => (
            <tr key={potential}>
              <th scope="row">
                <span class="visually-hidden">Potential </span>
                {BANDS[potential]}
              </th>
              {[0, 1, 2].map((performance) => {
                const name = boxAt(potential, performance);
                return (
                  <td key={performance}>
                    <span class="box-name">{name}</span>
                    <span class="box-count">{counts.get(name) ?? 0}</span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted">
        {unboxed} record{unboxed === 1 ? '' : 's'} not in a box yet (a performance or potential rating
        missing).
      </p>
    </>
  );
}
