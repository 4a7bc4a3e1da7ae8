/**
 * The fields of the API's AssessmentScale this needs, written out so that test/console-scale.test.ts can import
 * this file without the console's module settings; the API's type fits it, and the typecheck says if it stops.
 */
export interface AssessmentScale {
  min: number;
  max: number;
  step: number;
  labels: { score: number; label: string }[];
}

/** Every score the scale allows, each with its label when the organisation gave one. */
export function scalePoints(scale: AssessmentScale): { score: number; label: string }[] {
  const count = Math.round((scale.max - scale.min) / scale.step);
  return Array.from({ length: count + 1 }, (_, i) => {
    // Rounded so that steps like 0.1 give 0.3, not 0.30000000000000004.
    const score = Number((scale.min + i * scale.step).toFixed(6));
    const label = scale.labels.find((l) => l.score === score)?.label;
    return { score, label: label ? `${score} · ${label}` : String(score) };
  });
}
