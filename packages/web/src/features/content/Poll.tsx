import { useState } from 'react';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { formatDate, plural } from '../../lib/format.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { type PollInput, type PollView, pollsApi } from '../events/api.ts';

/**
 * A thread's poll. Counts stay hidden until you voted or the poll closed (the server sends
 * none before); a vote is final.
 */
export function Poll({ threadId, isAuthor }: { threadId: number; isAuthor: boolean }) {
  const { me } = useSession();
  const poll = useAsync(() => pollsApi.get(threadId), [threadId, me?.id]);
  if (poll.data && !poll.data.poll && isAuthor)
    return <AddPoll threadId={threadId} onAdded={(p) => poll.setData({ poll: p })} />;
  if (!poll.data?.poll) return <ErrorMessage error={poll.error} />;
  return <PollBox p={poll.data.poll} onVoted={(p) => poll.setData({ poll: p })} />;
}

/** The author adds a poll to an existing thread (it can be replaced until the first vote, through the API). */
function AddPoll({ threadId, onAdded }: { threadId: number; onAdded: (p: PollView) => void }) {
  const [value, setValue] = useState<PollInput | null>(null);
  const save = useAction(async () => {
    if (!value) return;
    const body = { ...value, options: value.options.map((o) => o.trim()).filter(Boolean) };
    onAdded((await pollsApi.create(threadId, body)).poll);
  });
  return (
    <section className="card stack" aria-label="Add a poll">
      <PollEditor value={value} onChange={setValue} />
      {value && (
        <button type="button" className="button" onClick={() => save.run()} disabled={save.pending}>
          Save poll
        </button>
      )}
      <ErrorMessage error={save.error} />
    </section>
  );
}

function PollBox({ p, onVoted }: { p: PollView; onVoted: (p: PollView) => void }) {
  const { me } = useSession();
  const [chosen, setChosen] = useState<number[]>([]);
  const vote = useAction(async () => onVoted((await pollsApi.vote(p.threadId, chosen)).poll));
  const single = p.maxChoices === 1;
  const total = p.options.reduce((s, o) => s + (o.votes ?? 0), 0);
  const toggle = (id: number) =>
    setChosen((c) =>
      single ? [id] : c.includes(id) ? c.filter((x) => x !== id) : [...c, id].slice(-p.maxChoices),
    );
  return (
    <section className="card poll stack" aria-labelledby={`poll-${p.id}`}>
      <h2 id={`poll-${p.id}`}>{p.question}</h2>
      <p className="muted small">
        {single ? 'One choice' : `Up to ${p.maxChoices} choices`} · {plural(p.voterCount, 'voter')}
        {p.closesAt &&
          (p.closed ? ` · closed ${formatDate(p.closesAt)}` : ` · closes ${formatDate(p.closesAt)}`)}
      </p>
      {p.resultsVisible ? (
        <ul className="poll-results" data-testid="poll-results">
          {p.options.map((o) => {
            const pct = total ? Math.round(((o.votes ?? 0) * 100) / total) : 0;
            return (
              <li key={o.id}>
                <div className="row spread">
                  <span>
                    {o.label}{' '}
                    {p.myVote?.includes(o.id) && <span className="badge badge-accent">your vote</span>}
                  </span>
                  <span className="muted">
                    {o.votes} ({pct}%)
                  </span>
                </div>
                <div className="poll-bar" aria-hidden="true">
                  <span style={{ width: `${pct}%` }} />
                </div>
              </li>
            );
          })}
        </ul>
      ) : (
        <fieldset disabled={!p.canVote || vote.pending}>
          <legend className="visually-hidden">{p.question}</legend>
          {p.options.map((o) => (
            <label key={o.id} className="radio">
              <input
                type={single ? 'radio' : 'checkbox'}
                name={`poll-${p.id}`}
                checked={chosen.includes(o.id)}
                onChange={() => toggle(o.id)}
              />{' '}
              {o.label}
            </label>
          ))}
          <p className="muted small">Results appear once you vote or the poll closes. Votes are final.</p>
        </fieldset>
      )}
      {!p.resultsVisible &&
        (p.canVote ? (
          <button
            type="button"
            className="button"
            disabled={!chosen.length || vote.pending}
            onClick={() => vote.run()}
          >
            Vote
          </button>
        ) : (
          <p className="muted small">{me ? 'Only members can vote.' : 'Sign in and join to vote.'}</p>
        ))}
      <ErrorMessage error={vote.error} />
    </section>
  );
}

/** The composer's poll fields; `value` null = no poll. */
export function PollEditor({
  value,
  onChange,
}: {
  value: PollInput | null;
  onChange: (p: PollInput | null) => void;
}) {
  if (!value)
    return (
      <button
        type="button"
        className="button button-secondary"
        onClick={() => onChange({ question: '', options: ['', ''], maxChoices: 1, closesAt: null })}
      >
        Add a poll
      </button>
    );
  const set = (patch: Partial<PollInput>) => onChange({ ...value, ...patch });
  return (
    <fieldset className="poll-editor stack">
      <legend>Poll</legend>
      <label>
        Question
        <input value={value.question} onChange={(e) => set({ question: e.target.value })} maxLength={300} />
      </label>
      {value.options.map((o, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: options are edited in place by position
        <div key={i} className="row">
          <label className="grow">
            Option {i + 1}
            <input
              value={o}
              maxLength={200}
              onChange={(e) => set({ options: value.options.map((x, j) => (j === i ? e.target.value : x)) })}
            />
          </label>
          {value.options.length > 2 && (
            <button
              type="button"
              className="button button-secondary"
              aria-label={`Remove option ${i + 1}`}
              onClick={() => set({ options: value.options.filter((_, j) => j !== i) })}
            >
              Remove
            </button>
          )}
        </div>
      ))}
      <div className="row">
        {value.options.length < 12 && (
          <button
            type="button"
            className="button button-secondary"
            onClick={() => set({ options: [...value.options, ''] })}
          >
            Add option
          </button>
        )}
        <button type="button" className="button button-secondary" onClick={() => onChange(null)}>
          No poll
        </button>
      </div>
      <label>
        Choices per member
        <input
          type="number"
          min={1}
          max={value.options.length}
          value={value.maxChoices}
          onChange={(e) => set({ maxChoices: Math.max(1, Number(e.target.value) || 1) })}
        />
      </label>
      <label>
        Closes <span className="muted">(optional, your local time)</span>
        <input
          type="datetime-local"
          value={value.closesAt ? toLocalInput(value.closesAt) : ''}
          onChange={(e) => set({ closesAt: e.target.value ? new Date(e.target.value).toISOString() : null })}
        />
      </label>
    </fieldset>
  );
}

const toLocalInput = (iso: string) => {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
