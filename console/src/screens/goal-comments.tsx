import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { usersById } from '../api/users';
import { ConfirmButton } from '../components/confirm-button';
import { ErrorBanner } from '../components/error-banner';
import { useFormSubmit } from '../components/use-action';
import { useLoad } from '../components/use-load';
import { displayName } from '../goals/load';
import { when } from '../me/when';
import { useSession } from '../session';

type Comment = components['schemas']['Comment'];

/** The goal's own comments, oldest first (docs/goals.md, Comments): anyone who sees the goal adds one. */
export function GoalComments({ goalId }: { goalId: number }) {
  const { session } = useSession();
  const comments = useLoad(async () => {
    const answer = await unwrap(
      api.GET('/v1/goals/{id}/comments', { params: { path: { id: goalId }, query: { size: 100 } } }),
    );
    return { list: answer.data, authors: await usersById(answer.data.map((c) => c.author_user_id)) };
  }, [goalId]);
  const list = comments.value?.list;
  return (
    <section class="goal-section" aria-labelledby="comments-heading">
      <h2 id="comments-heading">Comments</h2>
      <ErrorBanner error={comments.error} />
      {!list && !comments.error && <p aria-live="polite">Loading…</p>}
      {list?.length === 0 && <p class="muted">No comments yet.</p>}
      <ol class="comments">
        {list?.map((comment) => (
          <CommentItem
            key={comment.id}
            comment={comment}
            author={displayName(comments.value?.authors.get(comment.author_user_id))}
            mine={comment.author_user_id === session?.userId}
            onDeleted={comments.reload}
          />
        ))}
      </ol>
      <NewComment goalId={goalId} onAdded={comments.reload} />
    </section>
  );
}

interface ItemProps {
  comment: Comment;
  author: string;
  mine: boolean;
  onDeleted: () => void;
}

function CommentItem({ comment, author, mine, onDeleted }: ItemProps) {
  const remove = () => unwrap(api.DELETE('/v1/comments/{id}', { params: { path: { id: comment.id } } }));
  return (
    <li class="comment">
      <p class="muted">
        {mine ? 'You' : author} · <time dateTime={comment.created_at}>{when(comment.created_at)}</time>
        {comment.edited && ' · edited'}
      </p>
      <p class="comment-body">{comment.body}</p>
      {mine && <ConfirmButton action="Delete" what="your comment" confirmed={remove} onDone={onDeleted} />}
    </li>
  );
}

function NewComment({ goalId, onAdded }: { goalId: number; onAdded: () => void }) {
  const action = useFormSubmit((fields) => {
    const body = { body: String(fields.get('body')).trim() };
    return unwrap(api.POST('/v1/goals/{id}/comments', { params: { path: { id: goalId } }, body }));
  }, onAdded);
  return (
    <form class="stack" aria-label="Add a comment" onSubmit={action.submit}>
      <ErrorBanner error={action.error} />
      <label>
        Your comment
        <textarea name="body" rows={3} required maxLength={4000} />
      </label>
      <button type="submit" disabled={action.busy}>
        {action.busy ? 'Posting…' : 'Post comment'}
      </button>
    </form>
  );
}
