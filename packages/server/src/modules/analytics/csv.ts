/**
 * CSV (RFC 4180): fields with a comma, quote or line break are quoted, quotes doubled.
 * A leading = + - @ is prefixed with ' so spreadsheets never run a cell as a formula
 * (OWASP "CSV Injection"); titles and names are member-written text.
 */
export function toCsv(header: string[], rows: (string | number | null | undefined)[][]): string {
  const cell = (v: string | number | null | undefined) => {
    if (v == null) return '';
    let s = String(v);
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
