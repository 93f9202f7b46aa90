import { useId } from 'react';
import type { CreatorProfile, Explanations, Figures } from './api.ts';

const NAMES: [keyof Figures, string, (v: number) => string][] = [
  ['engagementRate', 'Engagement rate', (v) => v.toFixed(2)],
  ['followerRate', 'Per follower', (v) => v.toFixed(2)],
  ['reach', 'Reach', (v) => String(v)],
  ['sentiment', 'Sentiment', (v) => (v > 0 ? `+${v.toFixed(2)}` : v.toFixed(2))],
  ['growth', 'Growth', (v) => `${(v * 100).toFixed(0)} %`],
  ['authenticity', 'Authenticity', (v) => `${v.toFixed(0)} / 100`],
  ['contributions', 'Contributions', (v) => String(v)],
  ['followers', 'Followers', (v) => String(v)],
];

/** One figure whose explanation shows on hover and on keyboard focus (and is its accessible description). */
export function Figure({
  name,
  value,
  explanation,
}: {
  name: string;
  value: string;
  explanation: string | undefined;
}) {
  const id = useId();
  return (
    <li className="figure">
      <button type="button" className="figure-name" aria-describedby={id}>
        {name}
      </button>
      <span className="figure-value">{value}</span>
      <span className="tip" role="tooltip" id={id}>
        {explanation ?? ''}
      </span>
    </li>
  );
}

/** A creator's figures, computed by Hearth; each explained on hover. */
export function FigureList({
  figures,
  explanations,
}: {
  figures: Figures | null;
  explanations: Explanations;
}) {
  if (!figures) return <p className="muted small">Figures are being computed.</p>;
  return (
    <ul className="figures" aria-label="Figures">
      {NAMES.map(([key, name, fmt]) => {
        const v = figures[key] as number | null;
        return (
          <Figure key={key} name={name} value={v == null ? '—' : fmt(v)} explanation={explanations[key]} />
        );
      })}
    </ul>
  );
}

export function CreatorCard({
  p,
  explanations,
  children,
}: {
  p: CreatorProfile;
  explanations: Explanations;
  children?: React.ReactNode;
}) {
  return (
    <li className="card">
      <h3>
        <a href={`/u/${p.user.username}`}>{p.user.displayName}</a>{' '}
        <span className="muted small">@{p.user.username}</span>
      </h3>
      {p.headline && <p>{p.headline}</p>}
      <p className="meta">
        {p.niches.map((n) => (
          <span key={n} className="tag">
            #{n}
          </span>
        ))}
        {p.communities.map((c) => (
          <a key={c.id} href={`/c/${c.slug}`}>
            {c.name}
          </a>
        ))}
      </p>
      <FigureList figures={p.figures} explanations={explanations} />
      {children}
    </li>
  );
}
