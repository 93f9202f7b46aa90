import { type FormEvent, useState } from 'react';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { NotFound } from '../../components/NotFound.tsx';
import { ApiError } from '../../lib/api.ts';
import { formatDate } from '../../lib/format.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { type Campaign, money, type Participant, partnerships } from './api.ts';
import { CampaignForm } from './CampaignForm.tsx';
import { DeliverablesSection } from './Deliverables.tsx';

/**
 * A campaign, as each role sees it: brand managers edit it, ask communities, invite and accept
 * creators, review content, create links and codes, record payouts; creators answer, apply and
 * write content; community owners approve or reject it in their community.
 */
export function CampaignPage({ id }: { id: number }) {
  const { me } = useSession();
  const campaign = useAsync(() => partnerships.campaign(id), [id, me?.id]);
  const c = campaign.data;
  useTitle(c?.title);
  if (campaign.error instanceof ApiError && (campaign.error.status === 404 || campaign.error.status === 401))
    return <NotFound what="campaign" />;
  if (campaign.error) return <ErrorMessage error={campaign.error} />;
  if (!c) return <Loading lines={6} height="24rem" />;
  const set = campaign.setData;
  return (
    <div className="stack">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <a href={`/brands/${c.brand.slug}`}>{c.brand.name}</a>
      </nav>
      <header className="card">
        <h1>
          {c.title} <span className="status">{c.status}</span>
        </h1>
        <p className="meta">
          <span>
            {formatDate(c.startsAt)} – {formatDate(c.endsAt)}
          </span>
          {c.budgetCents != null && <span>Budget {money(c.budgetCents, c.brand.currency)}</span>}
          <span>
            Attribution: {c.attributionModel === 'linear' ? 'linear' : 'last touch'},{' '}
            {c.attributionWindowDays} days
          </span>
        </p>
        {c.brief && <p className="pre-wrap">{c.brief}</p>}
        {c.deliverablesBrief && <p className="pre-wrap">Deliverables: {c.deliverablesBrief}</p>}
        {c.viewer.isManager && (
          <p>
            <a className="button button-secondary button-small" href={`/campaigns/${c.id}/report`}>
              ROI report
            </a>
          </p>
        )}
      </header>
      {c.viewer.ownsCommunities.length > 0 && <OwnerDecision c={c} onChange={set} />}
      <CreatorSide c={c} onChange={set} />
      {c.viewer.isManager && <ManagerSide c={c} onChange={set} />}
      {(c.viewer.isManager || c.viewer.creatorStatus === 'accepted') && <DeliverablesSection c={c} />}
    </div>
  );
}

function OwnerDecision({ c, onChange }: { c: Campaign; onChange: (c: Campaign) => void }) {
  const decide = useAction(async (slug: string, decision: 'approved' | 'rejected') =>
    onChange(await partnerships.decide(slug, c.id, decision)),
  );
  return (
    <section className="card" aria-labelledby="owner-h">
      <h2 id="owner-h">Your community’s decision</h2>
      <ul className="list">
        {c.communities
          .filter((x) => c.viewer.ownsCommunities.includes(x.community.slug))
          .map((x) => (
            <li key={x.community.id} className="list-row wrap">
              <span className="grow">
                {x.community.name}: <span className="status">{x.status}</span>
              </span>
              <button
                type="button"
                className="button button-small"
                disabled={decide.pending}
                onClick={() => decide.run(x.community.slug, 'approved')}
              >
                Approve in {x.community.name}
              </button>
              <button
                type="button"
                className="button button-danger button-small"
                disabled={decide.pending}
                onClick={() => decide.run(x.community.slug, 'rejected')}
              >
                Reject
              </button>
            </li>
          ))}
      </ul>
      <ErrorMessage error={decide.error} />
    </section>
  );
}

function CreatorSide({ c, onChange }: { c: Campaign; onChange: (c: Campaign) => void }) {
  const { me } = useSession();
  const [message, setMessage] = useState('');
  const act = useAction(async (fn: () => Promise<Campaign>) => onChange(await fn()));
  const mine = c.creators.find((p) => p.user.id === me?.id);
  if (c.viewer.isManager && !mine) return null;
  const status = c.viewer.creatorStatus;
  return (
    <section className="card" aria-labelledby="you-h">
      <h2 id="you-h">Your part</h2>
      {status === 'invited' && me && (
        <div className="row">
          <p className="grow">
            {c.brand.name} invited you
            {mine?.feeCents ? ` (fee ${money(mine.feeCents, c.brand.currency)})` : ''}.
          </p>
          <button
            type="button"
            className="button"
            disabled={act.pending}
            onClick={() => act.run(() => partnerships.respond(c.id, me.username, true))}
          >
            Accept invitation
          </button>
          <button
            type="button"
            className="button button-secondary"
            disabled={act.pending}
            onClick={() => act.run(() => partnerships.respond(c.id, me.username, false))}
          >
            Decline
          </button>
        </div>
      )}
      {!status && c.openApplications && (
        <div className="form">
          <label>
            Why you? (optional)
            <textarea
              value={message}
              onChange={(e) => setMessage(e.target.value)}
              rows={2}
              maxLength={2000}
            />
          </label>
          <button
            type="button"
            className="button"
            disabled={act.pending}
            onClick={() => act.run(() => partnerships.apply(c.id, message))}
          >
            Apply
          </button>
        </div>
      )}
      {status && status !== 'invited' && <p>You are {status}.</p>}
      {mine && <LinksOf p={mine} />}
      <ErrorMessage error={act.error} />
    </section>
  );
}

function LinksOf({ p }: { p: Participant }) {
  if (!p.links.length && !p.promoCodes.length) return null;
  return (
    <ul className="list small">
      {p.links.map((l) => (
        <li key={l.id}>
          Tracked link: <code>{l.url}</code>
        </li>
      ))}
      {p.promoCodes.map((k) => (
        <li key={k}>
          Promo code: <code>{k}</code>
        </li>
      ))}
    </ul>
  );
}

function ManagerSide({ c, onChange }: { c: Campaign; onChange: (c: Campaign) => void }) {
  const [editing, setEditing] = useState(false);
  const [community, setCommunity] = useState('');
  const [invitee, setInvitee] = useState({ username: '', fee: '' });
  const act = useAction(async (fn: () => Promise<unknown>) => {
    await fn();
    onChange(await partnerships.campaign(c.id));
  });
  const submitCommunity = (e: FormEvent) => {
    e.preventDefault();
    act.run(() => partnerships.requestCommunity(c.id, community.trim()));
  };
  const submitInvite = (e: FormEvent) => {
    e.preventDefault();
    act.run(() =>
      partnerships.invite(
        c.id,
        invitee.username.trim().replace(/^@/, ''),
        Math.round(Number(invitee.fee || '0') * 100),
      ),
    );
  };
  return (
    <>
      <section className="card" aria-labelledby="edit-h">
        <div className="row">
          <h2 id="edit-h" className="grow">
            Campaign settings
          </h2>
          <button
            type="button"
            className="button button-secondary button-small"
            aria-expanded={editing}
            onClick={() => setEditing(!editing)}
          >
            {editing ? 'Close' : 'Edit'}
          </button>
        </div>
        {editing && (
          <CampaignForm
            initial={c}
            submitLabel="Save campaign"
            onSave={async (fields) => onChange(await partnerships.updateCampaign(c.id, fields))}
          />
        )}
      </section>
      <section className="card" aria-labelledby="comm-h">
        <h2 id="comm-h">Communities</h2>
        <p className="hint">A campaign runs only where a community’s owner approved it.</p>
        <ul className="list">
          {c.communities.map((x) => (
            <li key={x.community.id} className="list-row">
              <a className="grow" href={`/c/${x.community.slug}`}>
                {x.community.name}
              </a>
              <span className="status">{x.status}</span>
            </li>
          ))}
        </ul>
        <form className="row form-inline" onSubmit={submitCommunity} noValidate>
          <label className="grow">
            Community address
            <input value={community} onChange={(e) => setCommunity(e.target.value)} />
          </label>
          <button type="submit" className="button" disabled={act.pending}>
            Ask the owner
          </button>
        </form>
      </section>
      <section className="card" aria-labelledby="creators-h">
        <h2 id="creators-h">Creators</h2>
        <ul className="list">
          {c.creators.map((p) => (
            <li key={p.user.id} className="list-row wrap">
              <span className="grow">
                <a href={`/u/${p.user.username}`}>{p.user.displayName}</a>{' '}
                <span className="status">{p.status}</span>{' '}
                <span className="muted small">fee {money(p.feeCents, c.brand.currency)}</span>
                {p.message && <span className="block small">“{p.message}”</span>}
                <LinksOf p={p} />
              </span>
              {p.status === 'applied' && (
                <>
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => act.run(() => partnerships.respond(c.id, p.user.username, true))}
                  >
                    Accept
                  </button>
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    onClick={() => act.run(() => partnerships.respond(c.id, p.user.username, false))}
                  >
                    Decline
                  </button>
                </>
              )}
              {p.status === 'accepted' && (
                <>
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    onClick={() => act.run(() => partnerships.createLink(c.id, p.user.username))}
                  >
                    New tracked link
                  </button>
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    onClick={() => {
                      const code = window.prompt(`Promo code for @${p.user.username}`);
                      if (code) act.run(() => partnerships.createPromo(c.id, p.user.username, code));
                    }}
                  >
                    New promo code
                  </button>
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    onClick={() =>
                      act.run(() =>
                        partnerships.createPayout(c.id, {
                          username: p.user.username,
                          amountCents: p.feeCents,
                        }),
                      )
                    }
                  >
                    Record payout of the fee
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
        <form className="row form-inline wrap" onSubmit={submitInvite} noValidate>
          <label className="grow">
            Creator username
            <input
              value={invitee.username}
              onChange={(e) => setInvitee({ ...invitee, username: e.target.value })}
            />
          </label>
          <label>
            Fee
            <input
              inputMode="decimal"
              value={invitee.fee}
              onChange={(e) => setInvitee({ ...invitee, fee: e.target.value })}
            />
          </label>
          <button type="submit" className="button" disabled={act.pending}>
            Invite
          </button>
        </form>
        <ErrorMessage error={act.error} />
      </section>
      <section className="card" aria-labelledby="payouts-h">
        <h2 id="payouts-h">Payouts (recorded, not processed)</h2>
        {c.payouts.length === 0 && <p className="muted">None recorded.</p>}
        <ul className="list">
          {c.payouts.map((p) => (
            <li key={p.id} className="list-row wrap">
              <span className="grow">
                @{p.creator.username}: {money(p.amountCents, c.brand.currency)}{' '}
                <span className="status">{p.status}</span>
                {p.paidOn && <span className="muted small"> paid {p.paidOn}</span>}
              </span>
              {p.status === 'pending' && (
                <button
                  type="button"
                  className="button button-small"
                  onClick={() => act.run(() => partnerships.updatePayout(p.id, { status: 'paid' }))}
                >
                  Mark paid
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
