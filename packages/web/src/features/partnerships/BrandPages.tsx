import { type FormEvent, useState } from 'react';
import { navigate } from '../../app/router.tsx';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { NotFound } from '../../components/NotFound.tsx';
import { ApiError, api } from '../../lib/api.ts';
import { formatDate } from '../../lib/format.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync, useTitle } from '../../lib/useAsync.ts';
import { SignInPrompt } from '../accounts/SignInPrompt.tsx';
import { type Brand, money, partnerships } from './api.ts';
import { CampaignForm } from './CampaignForm.tsx';

/** /partnerships: your brands (and a new one), your creator profile, the communities you own. */
export function PartnershipsHub() {
  const { me } = useSession();
  useTitle('Partnerships');
  const brands = useAsync(() => (me ? partnerships.brands() : Promise.resolve({ items: [] })), [me?.id]);
  const owned = useAsync(
    () =>
      me ? api.communities({ mine: true, limit: 100 }) : Promise.resolve({ items: [], nextCursor: null }),
    [me?.id],
  );
  if (!me) return <SignInPrompt what="manage partnerships" />;
  return (
    <div className="stack">
      <h1>Partnerships</h1>
      <section className="card" aria-labelledby="brands-h">
        <h2 id="brands-h">Your brands</h2>
        <ErrorMessage error={brands.error} />
        {brands.loading && !brands.data ? (
          <Loading lines={2} />
        ) : brands.data?.items.length ? (
          <ul className="list">
            {brands.data.items.map((b) => (
              <li key={b.id} className="list-row">
                <a className="grow" href={`/brands/${b.slug}`}>
                  {b.name}
                </a>
                <span className="muted small">{b.myRole}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">You manage no brand yet.</p>
        )}
        <NewBrand />
      </section>
      <section className="card" aria-labelledby="creator-h">
        <h2 id="creator-h">As a creator</h2>
        <p>
          <a href="/creator">Your creator profile, invitations and deliverables</a>
        </p>
      </section>
      <section className="card" aria-labelledby="owned-h">
        <h2 id="owned-h">Communities you own</h2>
        <ErrorMessage error={owned.error} />
        <ul className="list">
          {(owned.data?.items ?? [])
            .filter((c) => c.membership?.role === 'owner')
            .map((c) => (
              <li key={c.id} className="list-row">
                <a href={`/c/${c.slug}/partnerships`}>{c.name}: sponsored content and campaign requests</a>
              </li>
            ))}
        </ul>
      </section>
    </div>
  );
}

function NewBrand() {
  const [form, setForm] = useState({ slug: '', name: '', websiteUrl: '', currency: 'EUR' });
  const [created, setCreated] = useState<Brand | null>(null);
  const create = useAction(async () => {
    setCreated(
      await partnerships.createBrand({
        slug: form.slug.trim(),
        name: form.name.trim(),
        websiteUrl: form.websiteUrl.trim() || null,
        currency: form.currency,
      }),
    );
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.run();
  };
  if (created)
    return (
      <div className="notice">
        <p>
          <a href={`/brands/${created.slug}`}>{created.name}</a> is ready. Its conversion secret (shown once,
          for your shop’s server): <code className="secret">{created.conversionSecret}</code>
        </p>
      </div>
    );
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="New brand">
      <h3>New brand</h3>
      <label>
        Brand name
        <input
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
          maxLength={100}
        />
      </label>
      <label>
        Brand address
        <input
          value={form.slug}
          onChange={(e) => setForm({ ...form, slug: e.target.value.toLowerCase() })}
          maxLength={64}
        />
      </label>
      <label>
        Website
        <input
          type="url"
          value={form.websiteUrl}
          onChange={(e) => setForm({ ...form, websiteUrl: e.target.value })}
        />
      </label>
      <label>
        Currency
        <input
          value={form.currency}
          onChange={(e) => setForm({ ...form, currency: e.target.value.toUpperCase() })}
          maxLength={3}
        />
      </label>
      <ErrorMessage error={create.error} />
      <button type="submit" className="button" disabled={create.pending}>
        Create brand
      </button>
    </form>
  );
}

/** /brands/:slug: the public page; for its managers, campaigns, a new campaign and the conversion secret. */
export function BrandPage({ slug }: { slug: string }) {
  const { me } = useSession();
  const brand = useAsync(() => partnerships.brand(slug), [slug, me?.id]);
  const b = brand.data;
  const manages = !!b && (!!b.myRole || !!me?.isAdmin);
  const campaigns = useAsync(
    () => (manages ? partnerships.brandCampaigns(slug) : Promise.resolve({ items: [] })),
    [slug, manages],
  );
  const [secret, setSecret] = useState<string | null>(null);
  const rotate = useAction(async () =>
    setSecret((await partnerships.rotateSecret(slug)).conversionSecret ?? null),
  );
  const [creating, setCreating] = useState(false);
  useTitle(b?.name);
  if (brand.error instanceof ApiError && brand.error.status === 404) return <NotFound what="brand" />;
  if (brand.error) return <ErrorMessage error={brand.error} />;
  if (!b) return <Loading lines={4} height="16rem" />;
  return (
    <div className="stack">
      <header className="card">
        <h1>{b.name}</h1>
        {b.description && <p>{b.description}</p>}
        {b.websiteUrl && (
          <p>
            <a href={b.websiteUrl} rel="noopener noreferrer nofollow">
              {b.websiteUrl}
            </a>
          </p>
        )}
        <p className="muted small">Posts labelled “Sponsored · {b.name}” were paid for by this brand.</p>
      </header>
      {manages && (
        <>
          <section className="card" aria-labelledby="camp-h">
            <div className="row">
              <h2 id="camp-h" className="grow">
                Campaigns
              </h2>
              <a className="button button-secondary button-small" href={`/brands/${slug}/creators`}>
                Find creators
              </a>
              <button
                type="button"
                className="button button-small"
                onClick={() => setCreating(!creating)}
                aria-expanded={creating}
              >
                New campaign
              </button>
            </div>
            {creating && (
              <CampaignForm
                submitLabel="Create campaign"
                onSave={async (fields) => {
                  const c = await partnerships.createCampaign(slug, fields);
                  navigate(`/campaigns/${c.id}`);
                }}
              />
            )}
            <ErrorMessage error={campaigns.error} />
            {campaigns.loading && !campaigns.data ? (
              <Loading lines={2} />
            ) : campaigns.data?.items.length ? (
              <ul className="list">
                {campaigns.data.items.map((c) => (
                  <li key={c.id} className="list-row wrap">
                    <a className="grow" href={`/campaigns/${c.id}`}>
                      {c.title}
                    </a>
                    <span className="status">{c.status}</span>
                    <span className="muted small">
                      {formatDate(c.startsAt)} – {formatDate(c.endsAt)} ·{' '}
                      {money(c.budgetCents, c.brand.currency)}
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">No campaigns yet.</p>
            )}
          </section>
          <section className="card" aria-labelledby="secret-h">
            <h2 id="secret-h">Conversion secret</h2>
            <p className="hint">
              Your shop signs conversions with it (X-Hearth-Signature, HMAC-SHA256). A new secret replaces the
              old one at once.
            </p>
            {secret && <code className="secret block">{secret}</code>}
            <ErrorMessage error={rotate.error} />
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => rotate.run()}
              disabled={rotate.pending}
            >
              New secret
            </button>
          </section>
        </>
      )}
    </div>
  );
}
