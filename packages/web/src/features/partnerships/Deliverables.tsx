import { type FormEvent, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { formatDate } from '../../lib/format.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { type Campaign, type Deliverable, partnerships } from './api.ts';

const STATUS: Record<Deliverable['status'], string> = {
  draft: 'Draft',
  in_review: 'In brand review',
  changes_requested: 'Changes requested',
  approved: 'Approved',
  published: 'Published',
};

/**
 * Deliverables of a campaign: creators draft, submit, edit after a change request and publish
 * approved content (which gets its "Sponsored" label); brand managers review what is submitted.
 */
export function DeliverablesSection({ c }: { c: Campaign }) {
  const list = useAsync(() => partnerships.deliverables(c.id), [c.id]);
  const creator = c.viewer.creatorStatus === 'accepted';
  const items = list.data?.items ?? [];
  const queue = items.filter((d) => d.status === 'in_review');
  return (
    <section className="card" aria-labelledby="deliv-h">
      <h2 id="deliv-h">{c.viewer.isManager ? 'Content review' : 'Your content'}</h2>
      <ErrorMessage error={list.error} />
      {list.loading && !list.data ? <Loading lines={2} /> : null}
      {c.viewer.isManager && (
        <>
          <h3>Waiting for review ({queue.length})</h3>
          {queue.length === 0 && <p className="muted">Nothing to review.</p>}
          <ul className="list">
            {queue.map((d) => (
              <ReviewItem key={d.id} d={d} onDone={list.reload} />
            ))}
          </ul>
        </>
      )}
      <h3>{c.viewer.isManager ? 'All deliverables' : 'Deliverables'}</h3>
      <ul className="list">
        {items.map((d) => (
          <DeliverableItem key={d.id} d={d} mine={creator && !c.viewer.isManager} onChange={list.reload} />
        ))}
      </ul>
      {items.length === 0 && !list.loading && <p className="muted">None yet.</p>}
      {creator && <NewDeliverable c={c} onCreated={list.reload} />}
    </section>
  );
}

function ReviewItem({ d, onDone }: { d: Deliverable; onDone: () => void }) {
  const [note, setNote] = useState('');
  const review = useAction(async (decision: 'approve' | 'request_changes') => {
    await partnerships.review(d.id, decision, note);
    onDone();
  });
  return (
    <li className="list-row wrap" aria-label={`Review ${d.title || 'comment'} by ${d.creator.username}`}>
      <div className="grow">
        <strong>{d.title || `Comment on thread ${d.threadId}`}</strong>{' '}
        <span className="muted small">
          by @{d.creator.username} in {d.community.name}
        </span>
        <p className="pre-wrap">{d.body}</p>
        <label>
          Note to the creator
          <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
        </label>
        <ErrorMessage error={review.error} />
      </div>
      <button
        type="button"
        className="button button-small"
        disabled={review.pending}
        onClick={() => review.run('approve')}
      >
        Approve
      </button>
      <button
        type="button"
        className="button button-secondary button-small"
        disabled={review.pending}
        onClick={() => review.run('request_changes')}
      >
        Ask for changes
      </button>
    </li>
  );
}

function DeliverableItem({ d, mine, onChange }: { d: Deliverable; mine: boolean; onChange: () => void }) {
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(d.title);
  const [body, setBody] = useState(d.body);
  const act = useAction(async (fn: () => Promise<unknown>) => {
    await fn();
    setEditing(false);
    onChange();
  });
  const editable = mine && (d.status === 'draft' || d.status === 'changes_requested');
  const url = d.published ? `/c/${d.community.slug}/t/${d.published.threadId}` : null;
  return (
    <li className="list-row wrap">
      <div className="grow">
        <span className="status">{STATUS[d.status]}</span>{' '}
        <strong>{d.title || `Comment on thread ${d.threadId}`}</strong>{' '}
        <span className="muted small">
          @{d.creator.username} · {d.community.name} · {formatDate(d.updatedAt)}
        </span>
        {d.reviewNote && <p className="notice small">Brand note: {d.reviewNote}</p>}
        {editing ? (
          <div className="form">
            {d.kind === 'thread' && (
              <label>
                Title
                <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={300} />
              </label>
            )}
            <label>
              Text
              <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={5} />
            </label>
            <button
              type="button"
              className="button button-small"
              disabled={act.pending}
              onClick={() => act.run(() => partnerships.updateDeliverable(d.id, { title, body }))}
            >
              Save
            </button>
          </div>
        ) : (
          <p className="pre-wrap">{d.body}</p>
        )}
        {url && (
          <p>
            <a href={url}>View the published {d.kind}</a>
          </p>
        )}
        <ErrorMessage error={act.error} />
      </div>
      {editable && !editing && (
        <>
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => setEditing(true)}
          >
            Edit
          </button>
          <button
            type="button"
            className="button button-small"
            disabled={act.pending}
            onClick={() => act.run(() => partnerships.submit(d.id))}
          >
            Send for review
          </button>
        </>
      )}
      {mine && d.status === 'approved' && (
        <button
          type="button"
          className="button button-small"
          disabled={act.pending}
          onClick={() => act.run(() => partnerships.publish(d.id))}
        >
          Publish with “Sponsored” label
        </button>
      )}
    </li>
  );
}

function NewDeliverable({ c, onCreated }: { c: Campaign; onCreated: () => void }) {
  const approved = c.communities.filter((x) => x.status === 'approved');
  const [f, setF] = useState({
    community: approved[0]?.community.slug ?? '',
    kind: 'thread',
    title: '',
    body: '',
    threadId: '',
  });
  const create = useAction(async () => {
    await partnerships.createDeliverable(c.id, {
      community: f.community,
      kind: f.kind as 'thread' | 'comment',
      ...(f.kind === 'thread' ? { title: f.title } : { threadId: Number(f.threadId) }),
      body: f.body,
    });
    setF({ ...f, title: '', body: '' });
    onCreated();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.run();
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="New deliverable">
      <h3>Draft new content</h3>
      {approved.length === 0 && (
        <p className="hint">No community has approved this campaign yet; you can draft, not publish.</p>
      )}
      <div className="row wrap">
        <label className="grow">
          Community
          <input
            value={f.community}
            onChange={(e) => setF({ ...f, community: e.target.value })}
            list="approved-communities"
          />
          <datalist id="approved-communities">
            {approved.map((x) => (
              <option key={x.community.id} value={x.community.slug}>
                {x.community.name}
              </option>
            ))}
          </datalist>
        </label>
        <label className="grow">
          Kind
          <select value={f.kind} onChange={(e) => setF({ ...f, kind: e.target.value })}>
            <option value="thread">Thread</option>
            <option value="comment">Comment</option>
          </select>
        </label>
      </div>
      {f.kind === 'thread' ? (
        <label>
          Title
          <input value={f.title} onChange={(e) => setF({ ...f, title: e.target.value })} maxLength={300} />
        </label>
      ) : (
        <label>
          Thread number
          <input
            inputMode="numeric"
            value={f.threadId}
            onChange={(e) => setF({ ...f, threadId: e.target.value })}
          />
        </label>
      )}
      <label>
        Text
        <textarea value={f.body} onChange={(e) => setF({ ...f, body: e.target.value })} rows={5} />
      </label>
      <ErrorMessage error={create.error} />
      <button type="submit" className="button" disabled={create.pending}>
        Save draft
      </button>
    </form>
  );
}
