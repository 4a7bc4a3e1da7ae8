import type { Random } from './random.js';

/** What the demo's questions look like, in conversations and feedback alike. */
interface AnyQuestion {
  id: number;
  type: string;
  scale_max?: number | null | undefined;
  stars?: number | null | undefined;
  options?: string[] | null | undefined;
}

/**
 * A plausible answer to each question: paragraphs from `texts`, scales and ratings leaning to the upper
 * half (as real ones do), one or two options for selects.
 */
export function answersTo(rng: Random, questions: AnyQuestion[], texts: readonly string[]) {
  return questions.map((q) => ({ question_id: q.id, value: answerTo(rng, q, texts) }));
}

function answerTo(rng: Random, q: AnyQuestion, texts: readonly string[]): string | number | string[] {
  const options = q.options ?? [];
  switch (q.type) {
    case 'scale':
      return Math.max(1, (q.scale_max ?? 5) - rng.int(0, 2));
    case 'star_rating':
      return Math.max(1, (q.stars ?? 5) - rng.int(0, 2));
    case 'single_select':
      return rng.pick(options);
    case 'multi_select': {
      const first = rng.pick(options);
      const second = rng.pick(options);
      return first === second ? [first] : [first, second];
    }
    default:
      return rng.pick(texts);
  }
}
