/** A member's picture, or their initial on a colour derived from the name; always the same size. */
export function Avatar({
  user,
  size = 32,
}: {
  user: { username: string; displayName?: string; avatarUrl: string | null };
  size?: number;
}) {
  const style = { width: size, height: size, fontSize: Math.round(size * 0.45) };
  if (user.avatarUrl) {
    return (
      <img
        className="avatar"
        src={user.avatarUrl}
        alt=""
        width={size}
        height={size}
        style={style}
        loading="lazy"
        referrerPolicy="no-referrer"
      />
    );
  }
  let hash = 0;
  for (const ch of user.username) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const hues = [18, 32, 150, 200, 265, 330];
  const initial = (user.displayName || user.username).trim().charAt(0).toUpperCase();
  return (
    <span
      className="avatar avatar-initial"
      aria-hidden="true"
      style={{ ...style, background: `hsl(${hues[hash % hues.length]} 45% 35%)` }}
    >
      {initial}
    </span>
  );
}
