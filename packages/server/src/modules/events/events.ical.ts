/**
 * A small iCalendar writer (RFC 5545): CRLF line ends (3.1), lines folded at 75 octets
 * without splitting a UTF-8 sequence (3.1), TEXT escaping of backslash, semicolon, comma
 * and newlines (3.3.11), UTC DATE-TIME values (3.3.5, form #2), and the properties each
 * VEVENT requires (UID, DTSTAMP; 3.6.1). Times are written in UTC, which the RFC allows
 * in place of TZID + VTIMEZONE; the organiser's zone travels in X-HEARTH-TZID.
 * Checked by parsing the output with ical.js in calendar.test.ts.
 */

export interface IcsEvent {
  uid: string;
  stamp: number;
  created: number;
  start: number;
  end: number;
  summary: string;
  description: string;
  location: string | null;
  url: string | null;
  cancelled: boolean;
  timeZone: string;
}

export function escapeText(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** 20260701T160000Z */
export function utcStamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/[-:]/g, '').replace('.000', '');
}

/** Folds one content line into chunks of at most 75 octets; continuation lines start with a space. */
export function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const out: string[] = [];
  let start = 0;
  let limit = 75;
  while (start < bytes.length) {
    let end = Math.min(start + limit, bytes.length);
    // Never cut inside a multi-byte character: back up to a lead byte (not 10xxxxxx).
    while (end < bytes.length && end > start && (bytes[end]! & 0xc0) === 0x80) end--;
    out.push(bytes.subarray(start, end).toString('utf8'));
    start = end;
    limit = 74; // the leading space counts toward the 75 octets
  }
  return out.join('\r\n ');
}

export function calendar(name: string, events: IcsEvent[]): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Hearth//Events//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(name)}`,
  ];
  for (const e of events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `DTSTAMP:${utcStamp(e.stamp)}`,
      `CREATED:${utcStamp(e.created)}`,
      `LAST-MODIFIED:${utcStamp(e.stamp)}`,
      `DTSTART:${utcStamp(e.start)}`,
      `DTEND:${utcStamp(e.end)}`,
      `SUMMARY:${escapeText(e.summary)}`,
    );
    if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
    if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
    if (e.url) lines.push(`URL:${e.url}`);
    lines.push(
      `STATUS:${e.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
      `X-HEARTH-TZID:${escapeText(e.timeZone)}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
