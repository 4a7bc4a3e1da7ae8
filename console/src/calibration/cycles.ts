import { api, unwrap } from '../api/client';
import { everyPage } from '../api/pages';
import type { components } from '../api/schema';

export type Cycle = components['schemas']['CalibrationCycle'];
export type TalentRecord = components['schemas']['TalentRecord'];
export type CalibrationSession = components['schemas']['CalibrationSession'];
export type CycleState = Cycle['state'];

export const CALIBRATION_PATH = '/admin/calibration';
export const CYCLE_PATH = `${CALIBRATION_PATH}/:id`;
export const cyclePath = (id: number) => `${CALIBRATION_PATH}/${id}`;

/** The one step forward a cycle may take (docs/calibration.md), as the button says it. */
export const NEXT_STEP: Partial<Record<CycleState, { state: CycleState; action: string }>> = {
  draft: { state: 'open', action: 'Open' },
  open: { state: 'locked', action: 'Lock' },
  locked: { state: 'closed', action: 'Close' },
};

export const STATE_WORDS: Record<CycleState, string> = {
  draft: 'draft: no talent records yet',
  open: 'open: ratings may change',
  locked: 'locked: records frozen',
  closed: 'closed: final ratings published',
};

/** A textarea's lines, trimmed, empty ones dropped: a scale typed one level a line, lowest first. */
export const linesOf = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

export const readCycle = (id: number) =>
  unwrap(api.GET('/v1/calibration/cycles/{id}', { params: { path: { id } } })).then((a) => a.data);

/**
 * Every talent record the caller sees, up to 1,000 (10 pages): the 9-box counts and the session form's
 * choices; the table itself pages by cursor.
 */
export const allRecords = (id: number) =>
  everyPage(
    (page, size) =>
      unwrap(
        api.GET('/v1/calibration/cycles/{id}/talent-records', {
          params: { path: { id }, query: { page, size } },
        }),
      ),
    10,
  );
