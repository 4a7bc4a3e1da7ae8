import { AppError } from '../errors.js';

/**
 * Hashtag rules (docs/recognition.md), one pure function for every path that writes a recognition: a
 * hashtag is 1 to 50 of the letters a–z, digits and underscore, stored lower-case without its `#`.
 */
export const HASHTAG_PATTERN = '^#?[A-Za-z0-9_]{1,50}$';
export const MAX_HASHTAGS = 30;
const EXPLICIT = new RegExp(HASHTAG_PATTERN);
// A `#` that starts a word (not inside one, as in `C#1`), then a run of at most 50 tag characters that
// does not continue: a longer run is not a hashtag and is left as text.
const IN_TEXT = /(?<![A-Za-z0-9_&#])#([A-Za-z0-9_]{1,50})(?![A-Za-z0-9_])/g;

/** The hashtags a message carries, lower-case, in order of first appearance, each once. */
export function hashtagsIn(message: string): string[] {
  return [...message.matchAll(IN_TEXT)].map((m) => (m[1] as string).toLowerCase());
}

/** One hashtag as given explicitly, normalised; a 400 naming the value when it breaks the rule. */
export function normaliseHashtag(tag: string): string {
  if (!EXPLICIT.test(tag)) {
    throw new AppError(
      'invalid_parameters',
      `"${tag.slice(0, 60)}" is not a hashtag: use 1 to 50 letters a-z, digits or underscores, with or without a leading #.`,
    );
  }
  return tag.replace(/^#/, '').toLowerCase();
}

/** The message's hashtags and the explicit ones, normalised and merged without repeats. */
export function recognitionHashtags(message: string, explicit: string[] = []): string[] {
  const all = [...new Set([...hashtagsIn(message), ...explicit.map(normaliseHashtag)])];
  if (all.length > MAX_HASHTAGS) {
    throw new AppError('invalid_parameters', `A recognition carries at most ${MAX_HASHTAGS} hashtags.`);
  }
  return all;
}
