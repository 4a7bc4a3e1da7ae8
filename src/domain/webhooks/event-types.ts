import { outboundEventTypes } from '../changes.js';
import { AppError } from '../errors.js';

/** The test ping's type: an event no change records, sent to one endpoint on an admin's request. */
export const PING_EVENT = 'webhook.ping';

const subscribable = new Set<string>(outboundEventTypes);

/** An endpoint's subscription: null for every event, otherwise known outbound types, each once. */
export function checkEventTypes(types: readonly string[] | null): string[] | null {
  if (types === null) return null;
  const unknown = types.filter((type) => !subscribable.has(type));
  if (unknown.length > 0) {
    throw new AppError('invalid_parameters', `Not an outbound event type: ${unknown.join(', ')}.`);
  }
  return [...new Set(types)];
}
