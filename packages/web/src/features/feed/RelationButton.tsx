import { useSession } from '../../app/session.tsx';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import type { MuteKind, Relation } from './api.ts';
import { useRelation } from './social.ts';

const WORDS = {
  follows: { on: 'Following', off: 'Follow', undo: 'Unfollow' },
  mutes: { on: 'Muted', off: 'Mute', undo: 'Unmute' },
};
// A toggle keeps one accessible name ("Follow #glaze"); aria-pressed says whether it is on.

/**
 * Follow or mute a member, a tag or a community (signed-in members only). A toggle button
 * (aria-pressed); its accessible name says what it acts on ("Follow #glaze"), the same in
 * both states.
 */
export function RelationButton({
  rel,
  kind,
  name,
  label,
  small = true,
}: {
  rel: Relation;
  kind: MuteKind;
  name: string;
  /** What it is about, for the accessible name: "@ada", "#glaze", "Trail Runners". */
  label: string;
  small?: boolean;
}) {
  const { me } = useSession();
  const r = useRelation(rel, kind, name);
  if (!me) return null;
  const w = WORDS[rel];
  return (
    <span className="relation">
      <button
        type="button"
        className={`button ${r.active ? '' : 'button-secondary'} ${small ? 'button-small' : ''}`}
        aria-pressed={r.active}
        aria-label={`${w.off} ${label}`}
        title={r.active ? `${w.undo} ${label}` : undefined}
        disabled={!r.ready || r.pending}
        onClick={() => r.toggle()}
      >
        {r.active ? w.on : w.off}
      </button>
      <ErrorMessage error={r.error} />
    </span>
  );
}

/** Follow and mute, side by side (profiles and tags). */
export function FollowMute({ kind, name, label }: { kind: 'users' | 'tags'; name: string; label: string }) {
  return (
    <span className="row relation-pair">
      <RelationButton rel="follows" kind={kind} name={name} label={label} />
      <RelationButton rel="mutes" kind={kind} name={name} label={label} />
    </span>
  );
}
