import type { Community } from '../../lib/api.ts';
import { plural } from '../../lib/format.ts';

export function MembershipBadge({ c }: { c: Community }) {
  const m = c.membership;
  if (!m) return null;
  if (m.status === 'pending') return <span className="badge">Request pending</span>;
  if (m.status === 'invited') return <span className="badge badge-accent">Invited</span>;
  if (m.role === 'owner') return <span className="badge badge-accent">Owner</span>;
  if (m.role === 'moderator') return <span className="badge badge-accent">Moderator</span>;
  return <span className="badge">Member</span>;
}

export function CommunityCard({ c }: { c: Community }) {
  return (
    <li className="community-card card">
      <h3>
        <a href={`/c/${c.slug}`}>{c.name}</a>
      </h3>
      <p className="clamp-2">{c.description || <span className="muted">No description yet.</span>}</p>
      <p className="meta">
        {c.visibility === 'private' && <span className="badge">Private</span>}
        <MembershipBadge c={c} />
        <span>{plural(c.memberCount, 'member')}</span>
        <span>{plural(c.threadCount, 'thread')}</span>
      </p>
    </li>
  );
}
