import type { Kysely, Transaction, Updateable } from 'kysely';
import type { ConversationQuestion, ConversationsTable, DB } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { proposeFromConversation } from '../calibration/proposals.js';
import { type ChangeEvent, recordChange } from '../changes.js';
import { AppError, forbidden, notFound } from '../errors.js';
import { inTenant } from '../tenant.js';
import { inTransaction } from '../transactions.js';
import * as repo from './conversation-repo.js';
import { type AnswerInput, assertComplete, checkedAnswers, talentValues } from './questions.js';
import { getConversation } from './service.js';
import { type Side, sideOf } from './views.js';

/**
 * What the two participants write in a conversation: draft and submitted answers, shared notes, their
 * own private note, the meeting's confirmation and its completion. Each write locks the conversation,
 * checks the caller is one of the two, and records its event without the words written.
 */

type Row = repo.ConversationDetailRow;

/** The sides that answer: those with questions (and, for the manager's, a manager). */
const answeringSides = (c: Row): Side[] => {
  const sides: Side[] = [];
  if (c.manager_id !== null && c.manager_questions.length > 0) sides.push('manager');
  if (c.report_questions.length > 0) sides.push('report');
  return sides;
};
const allSubmitted = (c: Row, also?: Side) =>
  answeringSides(c).every((s) => s === also || c[`${s}_submitted_at`] !== null);

async function asParticipant(trx: Transaction<DB>, p: Principal, id: number) {
  if (!(await repo.lockConversation(trx, p, id))) throw notFound('conversation');
  const c = await repo.findReadableConversation(trx, p, id);
  if (!c) throw notFound('conversation');
  const side = sideOf(p, c);
  if (!side) throw forbidden("Only the conversation's manager and report write in it.");
  return { c, side };
}

async function write(
  db: Kysely<DB>,
  p: Principal,
  id: number,
  change: (
    c: Row,
    side: Side,
    trx: Transaction<DB>,
  ) => Promise<{
    set: Updateable<ConversationsTable>;
    event: ChangeEvent;
    changes: Record<string, unknown>;
  } | null>,
) {
  await inTransaction(db, async (trx) => {
    const { c, side } = await asParticipant(trx, p, id);
    const outcome = await change(c, side, trx);
    if (!outcome) return;
    await trx
      .updateTable('conversations')
      .set({ ...outcome.set, updated_at: new Date() })
      .where(inTenant(p))
      .where('id', '=', id)
      .execute();
    await recordChange(trx, p, outcome.event, id, { side, ...outcome.changes });
  });
  return getConversation(db, p, id);
}

const refuse = (why: string) => new AppError('invalid_operation', why);

function assertOpenAnswers(c: Row, side: Side) {
  if (c.status === 'completed') throw refuse('The conversation is completed.');
  if (c[`${side}_submitted_at`] !== null)
    throw refuse('Your answers are submitted: ask for an edit request to change them.');
}

const questionsOf = (c: Row, side: Side): ConversationQuestion[] => c[`${side}_questions`];
const started = (c: Row) => (c.status === 'not_started' ? { status: 'in_progress' as const } : {});

/** Replaces the caller's draft answers; nobody else sees a draft. */
export const saveDraft = (db: Kysely<DB>, p: Principal, id: number, answers: AnswerInput[]) =>
  write(db, p, id, async (c, side) => {
    assertOpenAnswers(c, side);
    const draft = checkedAnswers(questionsOf(c, side), answers);
    return {
      set: { [`${side}_draft`]: JSON.stringify(draft), ...started(c) },
      event: 'conversation.draft_saved',
      changes: { question_ids: Object.keys(draft).map(Number) },
    };
  });

/**
 * Submits the caller's answers (those sent, or the draft). Once every side that answers has submitted,
 * the conversation is shared: each participant then sees the other's answers, confidential ones excepted.
 * The manager's answers to questions mapped to a talent field become their proposals in the report's open
 * calibration cycles, in this transaction; the event lists what became of each (docs/conversations.md).
 */
export const submitAnswers = (db: Kysely<DB>, p: Principal, id: number, answers?: AnswerInput[]) =>
  write(db, p, id, async (c, side, trx) => {
    assertOpenAnswers(c, side);
    const questions = questionsOf(c, side);
    if (questions.length === 0)
      throw refuse('This conversation asks you no questions; there is nothing to submit.');
    const final = answers ? checkedAnswers(questions, answers) : (c[`${side}_draft`] ?? {});
    assertComplete(questions, final);
    const shared = allSubmitted(c, side);
    const proposals =
      side === 'manager'
        ? await proposeFromConversation(trx, p, c.report_id, talentValues(questions, final))
        : [];
    const now = new Date();
    return {
      set: {
        [`${side}_answers`]: JSON.stringify(final),
        [`${side}_draft`]: null,
        [`${side}_submitted_at`]: now,
        status: shared ? 'shared' : 'submitted',
        ...(shared && { shared_at: now }),
      },
      event: 'conversation.submitted',
      changes: {
        question_ids: Object.keys(final).map(Number),
        shared,
        ...(proposals.length > 0 && { talent_records: proposals }),
      },
    };
  });

/** The notes both participants read and write. */
export const updateSharedNotes = (db: Kysely<DB>, p: Principal, id: number, notes: string | null) =>
  write(db, p, id, async (c) => {
    if (c.status === 'completed') throw refuse('The conversation is completed.');
    if (c.shared_notes === notes) return null;
    return {
      set: { shared_notes: notes, ...started(c) },
      event: 'conversation.notes_updated',
      changes: { length: notes?.length ?? 0 },
    };
  });

/** The caller's private note: stored under their name, read by them alone, never recorded in the audit log. */
export async function savePrivateNote(db: Kysely<DB>, p: Principal, id: number, body: string) {
  await inTransaction(db, async (trx) => {
    const { side } = await asParticipant(trx, p, id);
    await trx
      .insertInto('conversation_private_notes')
      .values({ org_id: p.orgId, mode: p.mode, conversation_id: id, author_user_id: p.userId, body })
      .onConflict((oc) =>
        oc
          .columns(['org_id', 'mode', 'conversation_id', 'author_user_id'])
          .doUpdateSet({ body, updated_at: new Date() }),
      )
      .execute();
    await recordChange(trx, p, 'conversation.private_note_saved', id, { side });
  });
  return getConversation(db, p, id);
}

/** Where the template asks for it, each participant confirms that the meeting took place. */
export const confirmMeeting = (db: Kysely<DB>, p: Principal, id: number) =>
  write(db, p, id, async (c, side) => {
    if (!c.confirm_meeting) throw refuse("This conversation's template does not ask to confirm the meeting.");
    if (c[`${side}_confirmed_at`] !== null) return null;
    return {
      set: { [`${side}_confirmed_at`]: new Date() },
      event: 'conversation.meeting_confirmed',
      changes: {},
    };
  });

/** Completes a shared conversation; where the template asks, both must have confirmed the meeting first. */
export const completeConversation = (db: Kysely<DB>, p: Principal, id: number) =>
  write(db, p, id, async (c) => {
    if (c.status === 'completed') throw refuse('The conversation is already completed.');
    if (!allSubmitted(c))
      throw refuse('A conversation is completed once both sides have shared their answers.');
    const sides: Side[] = c.manager_id === null ? ['report'] : ['manager', 'report'];
    const unconfirmed = sides.find((s) => c[`${s}_confirmed_at`] === null);
    if (c.confirm_meeting && unconfirmed)
      throw refuse(
        `The ${unconfirmed} has not confirmed the meeting yet; both confirm before it is completed.`,
      );
    return {
      set: { status: 'completed', completed_at: new Date() },
      event: 'conversation.completed',
      changes: {},
    };
  });
