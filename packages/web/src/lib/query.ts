/** A query string from a plain object, leaving out empty values: `?sort=new&limit=20` or ''. */
export function toQuery(query: object = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}
