import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, readCookie } from './api.ts';

const calls: { url: string; init: RequestInit }[] = [];
function answer(status: number, body: unknown) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Response(body === undefined ? '' : JSON.stringify(body), { status });
    }),
  );
}

afterEach(() => {
  calls.length = 0;
  vi.unstubAllGlobals();
  // biome-ignore lint/suspicious/noDocumentCookie: the test sets the cookie the client reads
  document.cookie = 'hearth_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
});

describe('API client', () => {
  it('reads cookies by exact name', () => {
    expect(readCookie('hearth_csrf', 'x=1; hearth_csrf=abc%3D; hearth_csrf_old=z')).toBe('abc=');
    expect(readCookie('missing', 'x=1')).toBeNull();
  });

  it('echoes the hearth_csrf cookie on writes, not on reads, and sends JSON only with a body', async () => {
    // biome-ignore lint/suspicious/noDocumentCookie: the test sets the cookie the client reads
    document.cookie = 'hearth_csrf=tok123; path=/';
    answer(200, { ok: true });
    await api.leave('runners');
    await api.join('runners', true);
    await api.community('runners');
    const [leave, join, get] = calls;
    const h = (i: RequestInit) => i.headers as Record<string, string>;
    expect(leave!.url).toBe('/api/v1/communities/runners/leave');
    expect(h(leave!.init)['x-csrf-token']).toBe('tok123');
    expect(h(leave!.init)['content-type']).toBeUndefined();
    expect(leave!.init.body).toBeUndefined();
    expect(h(join!.init)['content-type']).toBe('application/json');
    expect(JSON.parse(join!.init.body as string)).toEqual({ acceptGuidelines: true });
    expect(get!.init.method).toBe('GET');
    expect(h(get!.init)['x-csrf-token']).toBeUndefined();
  });

  it("turns the server's error body into an ApiError with its code, message and field", async () => {
    answer(400, {
      error: { code: 'VALIDATION_FAILED', message: 'body.title is required', field: 'body.title' },
    });
    const err = await api.createThread('r', { title: '', body: 'x' }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'body.title is required',
      field: 'body.title',
    });
  });

  it('explains a response without an error body and a network failure', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' })),
    );
    await expect(api.me()).rejects.toMatchObject({
      code: 'HTTP_502',
      message: 'The server answered 502 Bad Gateway',
    });
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
    );
    await expect(api.me()).rejects.toMatchObject({ code: 'NETWORK', status: 0 });
  });

  it('builds query strings without empty values and encodes path parts', async () => {
    answer(200, { items: [], pinned: [], nextCursor: null });
    await api.threads('my-group', { sort: 'top', period: 'week', tag: undefined, cursor: null, limit: 20 });
    await api.user('a b');
    expect(calls[0]!.url).toBe('/api/v1/communities/my-group/threads?sort=top&period=week&limit=20');
    expect(calls[1]!.url).toBe('/api/v1/users/a%20b');
  });
});
