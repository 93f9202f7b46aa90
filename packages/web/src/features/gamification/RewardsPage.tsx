import { type FormEvent, useState } from 'react';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { NotFound } from '../../components/NotFound.tsx';
import { ApiError, api } from '../../lib/api.ts';
import { formatDate } from '../../lib/format.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { CommunityHeader, canModerate } from '../communities/CommunityPage.tsx';
import { gamification, type Redemption, type Reward, type RewardKind } from './api.ts';

const KIND_LABEL: Record<RewardKind, string> = {
  content: 'Exclusive content',
  seat: 'Event seat',
  promo_code: 'Partner promo code',
};

/** Rewards on offer, redeeming them, your redemptions (codes and content); moderators offer new ones. */
export function RewardsPage({ slug }: { slug: string }) {
  const { me } = useSession();
  const community = useAsync(() => api.community(slug), [slug, me?.id]);
  const rewards = useAsync(() => gamification.rewards(slug), [slug, me?.id]);
  const mine = useAsync(
    () => (me ? gamification.myRedemptions(slug) : Promise.resolve(null)),
    [slug, me?.id],
  );
  const [revealed, setRevealed] = useState<Redemption | null>(null);
  const c = community.data;
  useTitle(c ? `Rewards · ${c.name}` : 'Rewards');
  if (community.error instanceof ApiError && community.error.status === 404)
    return <NotFound what="community" />;
  if (community.error) return <ErrorMessage error={community.error} />;
  if (!c) return <Loading lines={6} height="24rem" />;
  const mod = canModerate(c, me?.isAdmin);
  const onRedeemed = (r: Redemption) => {
    setRevealed(r);
    rewards.reload();
    mine.reload();
  };
  return (
    <div className="community stack">
      <CommunityHeader c={c} tab="rewards" onChanged={community.reload} />
      <section className="card" aria-labelledby="rewards-h">
        <div className="row spread">
          <h2 id="rewards-h">Rewards</h2>
          {rewards.data?.balance != null && (
            <p className="balance">
              Your balance: <strong>{rewards.data.balance}</strong> points
            </p>
          )}
        </div>
        <ErrorMessage error={rewards.error} />
        {revealed && <Revealed r={revealed} onClose={() => setRevealed(null)} />}
        {rewards.loading && !rewards.data ? (
          <Loading lines={4} height="14rem" />
        ) : rewards.data?.items.length ? (
          <ul className="reward-list">
            {rewards.data.items.map((r) => (
              <RewardCard
                key={r.id}
                slug={slug}
                r={r}
                mod={mod}
                onRedeemed={onRedeemed}
                onChanged={rewards.reload}
              />
            ))}
          </ul>
        ) : (
          <p className="muted">No rewards on offer yet.</p>
        )}
        {!me && <p className="muted small">Log in and join to redeem rewards.</p>}
      </section>
      {mine.data && mine.data.items.length > 0 && (
        <section className="card" aria-labelledby="mine-h">
          <h2 id="mine-h">Your redemptions</h2>
          <ul className="list">
            {mine.data.items.map((r) => (
              <li key={r.id} className="list-row redemption">
                <div className="grow">
                  <strong>{r.title}</strong>{' '}
                  <span className="muted small">
                    {formatDate(r.createdAt)} · {r.pointsSpent} points
                  </span>
                  {r.code && (
                    <p>
                      Code: <code className="promo-code">{r.code}</code>
                    </p>
                  )}
                  {r.secret && <p className="pre-wrap">{r.secret}</p>}
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
      {mod && <NewReward slug={slug} onCreated={rewards.reload} />}
    </div>
  );
}

function Revealed({ r, onClose }: { r: Redemption; onClose: () => void }) {
  return (
    <div className="notice revealed" aria-live="polite">
      <p>
        <strong>Redeemed: {r.title}.</strong> Only you can see this.
      </p>
      {r.code && (
        <p>
          Your code: <code className="promo-code">{r.code}</code>
        </p>
      )}
      {r.secret && <p className="pre-wrap">{r.secret}</p>}
      <button type="button" className="link-button" onClick={onClose}>
        Close
      </button>
    </div>
  );
}

function RewardCard({
  slug,
  r,
  mod,
  onRedeemed,
  onChanged,
}: {
  slug: string;
  r: Reward;
  mod: boolean;
  onRedeemed: (r: Redemption) => void;
  onChanged: () => void;
}) {
  const redeem = useAction(async () => onRedeemed((await gamification.redeem(slug, r.id)).redemption));
  const toggle = useAction(async () => {
    await gamification.updateReward(slug, r.id, { active: !r.active });
    onChanged();
  });
  const needs = [
    r.requiredBadge && `the “${r.requiredBadge.name}” badge`,
    r.minLevel && `level ${r.minLevel}${r.minLevelName ? ` (${r.minLevelName})` : ''}`,
  ].filter(Boolean);
  return (
    <li className={r.active ? 'reward card' : 'reward card inactive'}>
      <div className="reward-head">
        <h3>{r.title}</h3>
        <span className="reward-cost">{r.costPoints ? `${r.costPoints} points` : 'Free'}</span>
      </div>
      <p className="muted small">
        {KIND_LABEL[r.kind]}
        {r.stock !== null && ` · ${r.stock} left`}
        {needs.length > 0 && ` · needs ${needs.join(' and ')}`}
        {!r.active && ' · withdrawn'}
      </p>
      {r.description && <p>{r.description}</p>}
      <div className="row">
        {r.mine && (
          <button
            type="button"
            className="button button-small"
            disabled={!r.mine.canRedeem || redeem.pending}
            aria-describedby={r.mine.reason ? `why-${r.id}` : undefined}
            onClick={() => redeem.run()}
          >
            {redeem.pending ? 'Redeeming…' : 'Redeem'}
          </button>
        )}
        {r.mine?.reason && (
          <span id={`why-${r.id}`} className="muted small">
            {r.mine.reason}
          </span>
        )}
        {mod && (
          <button
            type="button"
            className="link-button"
            disabled={toggle.pending}
            onClick={() => toggle.run()}
          >
            {r.active ? 'Withdraw' : 'Offer again'}
          </button>
        )}
        {mod && <span className="muted small">{r.redeemed} redeemed</span>}
      </div>
      <ErrorMessage error={redeem.error ?? toggle.error} />
    </li>
  );
}

function NewReward({ slug, onCreated }: { slug: string; onCreated: () => void }) {
  const empty = {
    kind: 'promo_code' as RewardKind,
    title: '',
    description: '',
    cost: '10',
    stock: '',
    codes: '',
    secret: '',
    minLevel: '',
  };
  const [f, setF] = useState(empty);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) =>
    setF({ ...f, [k]: e.target.value });
  const [done, setDone] = useState('');
  const create = useAction(async () => {
    const codes = f.codes
      .split(/[\s,]+/)
      .map((x) => x.trim())
      .filter(Boolean);
    const created = await gamification.createReward(slug, {
      kind: f.kind,
      title: f.title,
      description: f.description,
      costPoints: Number(f.cost || 0),
      ...(f.stock && !codes.length && { stock: Number(f.stock) }),
      ...(f.minLevel && { minLevel: Number(f.minLevel) }),
      ...(codes.length && { codes }),
      ...(f.secret && { secret: f.secret }),
    });
    setF(empty);
    setDone(`Offered “${created.title}”.`);
    onCreated();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone('');
    create.run();
  };
  return (
    <section className="card" aria-labelledby="new-reward-h">
      <h2 id="new-reward-h">Offer a reward</h2>
      <form className="form" onSubmit={submit} noValidate>
        <label>
          Kind
          <select value={f.kind} onChange={set('kind')}>
            {Object.entries(KIND_LABEL).map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Title
          <input value={f.title} onChange={set('title')} maxLength={120} required />
        </label>
        <label>
          Description
          <textarea value={f.description} onChange={set('description')} rows={2} maxLength={2000} />
        </label>
        <div className="form-grid">
          <label>
            Cost in points
            <input type="number" min={0} inputMode="numeric" value={f.cost} onChange={set('cost')} />
          </label>
          <label>
            Stock (empty: unlimited)
            <input type="number" min={0} inputMode="numeric" value={f.stock} onChange={set('stock')} />
          </label>
          <label>
            Minimum level
            <input type="number" min={1} inputMode="numeric" value={f.minLevel} onChange={set('minLevel')} />
          </label>
        </div>
        {f.kind === 'promo_code' && (
          <label>
            Promo codes (one per member; separated by spaces, commas or lines)
            <textarea value={f.codes} onChange={set('codes')} rows={3} />
          </label>
        )}
        <label>
          {f.kind === 'content' ? 'The exclusive content' : 'Shown to those who redeem it (optional)'}
          <textarea value={f.secret} onChange={set('secret')} rows={3} maxLength={5000} />
        </label>
        <ErrorMessage error={create.error} />
        <output className="ok-text">{done}</output>
        <div className="row">
          <button type="submit" className="button" disabled={create.pending}>
            {create.pending ? 'Saving…' : 'Offer reward'}
          </button>
        </div>
      </form>
    </section>
  );
}
