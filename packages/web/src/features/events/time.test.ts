import { describe, expect, it } from 'vitest';
import { formatLocal, googleCalendarUrl, type HearthEvent, zonedToUtc } from './api.ts';

describe('event times in the organiser’s zone', () => {
  it('turns a wall-clock time in an IANA zone into the UTC instant, across DST', () => {
    expect(zonedToUtc('2026-07-01T18:00', 'Europe/Paris')).toBe('2026-07-01T16:00:00.000Z'); // CEST, +2
    expect(zonedToUtc('2026-01-15T18:00', 'Europe/Paris')).toBe('2026-01-15T17:00:00.000Z'); // CET, +1
    expect(zonedToUtc('2026-06-20T06:30', 'America/New_York')).toBe('2026-06-20T10:30:00.000Z');
    expect(zonedToUtc('2026-03-29T12:00', 'UTC')).toBe('2026-03-29T12:00:00.000Z');
    expect(zonedToUtc('', 'UTC')).toBe('');
  });

  it('formats a local time without moving it into the browser’s zone', () => {
    expect(formatLocal('2026-07-01T18:00')).toBe('Wed, 1 Jul 2026, 18:00');
  });

  it('builds a Google Calendar link with UTC dates and the zone', () => {
    const url = new URL(
      googleCalendarUrl(
        {
          title: 'Run',
          description: '',
          startsAt: '2026-07-01T16:00:00.000Z',
          endsAt: '2026-07-01T18:00:00.000Z',
          timeZone: 'Europe/Paris',
          mode: 'in_person',
          location: 'Gate',
        } as HearthEvent,
        'http://localhost/c/x/e/1',
      ),
    );
    expect(url.searchParams.get('dates')).toBe('20260701T160000Z/20260701T180000Z');
    expect(url.searchParams.get('ctz')).toBe('Europe/Paris');
    expect(url.searchParams.get('location')).toBe('Gate');
  });
});
