import type { CustomValues, TalentField } from '../../db/schema.js';
import { AppError } from '../errors.js';

/**
 * Custom talent fields (docs/calibration.md): a cycle's managers define up to 20 keys, text or number,
 * fixed once it opens; calibrators set their values on each record. Pure rules, no database: the one
 * record write path and any bulk path call them alike.
 */

export const MAX_TALENT_FIELDS = 20;
export const MAX_TEXT_VALUE = 1000;
export const TALENT_FIELD_KEY = /^[a-z][a-z0-9_]{0,39}$/;

/** A cycle's definitions: keys well-formed and distinct, at most 20. */
export function assertTalentFields(fields: TalentField[]): void {
  if (fields.length > MAX_TALENT_FIELDS)
    throw new AppError('invalid_operation', `talent_fields has ${fields.length} fields; at most 20.`);
  const seen = new Set<string>();
  for (const f of fields) {
    if (!TALENT_FIELD_KEY.test(f.key))
      throw new AppError(
        'invalid_operation',
        `talent_fields key "${f.key}" must match ^[a-z][a-z0-9_]{0,39}$.`,
      );
    if (seen.has(f.key))
      throw new AppError('invalid_operation', `talent_fields has the key "${f.key}" twice.`);
    seen.add(f.key);
  }
}

export type CustomChange = Record<string, string | number | null>;

/** Each value must name a field of the cycle and have its type; null clears it. */
export function assertCustomValues(change: CustomChange, fields: TalentField[]): void {
  for (const [key, value] of Object.entries(change)) {
    const field = fields.find((f) => f.key === key);
    const at = `custom_fields.${key}`;
    if (!field) {
      const known = fields.map((f) => f.key).join(', ') || 'none';
      throw new AppError(
        'invalid_operation',
        `${at} is not a talent field of this cycle (its fields: ${known}).`,
      );
    }
    if (value === null) continue;
    if (field.type === 'number' && (typeof value !== 'number' || !Number.isFinite(value)))
      throw new AppError('invalid_operation', `${at} is a number field; "${value}" is not a number.`);
    if (field.type === 'text' && typeof value !== 'string')
      throw new AppError('invalid_operation', `${at} is a text field; send the value as a string.`);
    if (typeof value === 'string' && value.length > MAX_TEXT_VALUE)
      throw new AppError('invalid_parameters', `${at} is longer than ${MAX_TEXT_VALUE} characters.`);
  }
}

/** The keys whose value the change alters, and the record's values after it. */
export function applyCustomChange(current: CustomValues, change: CustomChange) {
  const next: CustomValues = { ...current };
  const changed: string[] = [];
  for (const [key, value] of Object.entries(change)) {
    if ((current[key] ?? null) === value) continue;
    changed.push(key);
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return { next, changed };
}

/** A value as a history row holds it (text): numbers in their JSON form. */
export const historyValue = (value: string | number | null | undefined) =>
  value === null || value === undefined ? null : String(value);
