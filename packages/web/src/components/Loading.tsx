/**
 * A placeholder with the height of what is loading, so the page does not jump when it
 * arrives; announced once as "Loading…" to screen readers.
 */
export function Loading({
  label = 'Loading…',
  lines = 3,
  height,
}: {
  label?: string;
  lines?: number;
  height?: string;
}) {
  return (
    <output className="loading" style={height ? { minHeight: height } : undefined}>
      <span className="visually-hidden">{label}</span>
      {Array.from({ length: lines }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static placeholder rows
        <div key={i} className="skeleton" aria-hidden="true" />
      ))}
    </output>
  );
}
