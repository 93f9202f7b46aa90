import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestApp, createUsers, type TestApp, type TestUser } from '../../../test/harness.ts';

/**
 * The web module over a real app on the suite's dialect: the SPA's files and fallback
 * (with a stand-in build in a temporary folder), the landing page without a build, and
 * the server-rendered thread pages, which must never show private or deleted content.
 */

const SHELL = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hearth</title>
<script type="module" crossorigin src="/assets/index-abc123.js"></script></head>
<body><div id="root"></div><noscript>The app needs JavaScript</noscript></body></html>`;

async function withDist<T>(dist: string, build: () => Promise<T>): Promise<T> {
  const before = process.env.HEARTH_WEB_DIST;
  process.env.HEARTH_WEB_DIST = dist;
  try {
    return await build();
  } finally {
    if (before === undefined) delete process.env.HEARTH_WEB_DIST;
    else process.env.HEARTH_WEB_DIST = before;
  }
}

describe('web: SPA serving and server-rendered public threads', () => {
  let dist: string;
  let t: TestApp;
  let bare: TestApp;
  let call: ReturnType<typeof api>;
  let owner: TestUser;
  let member: TestUser;
  let publicThread: { id: number; title: string };
  let privateThread: { id: number; title: string };
  let deletedThread: { id: number; title: string };

  beforeAll(async () => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-web-dist-'));
    fs.mkdirSync(path.join(dist, 'assets'));
    fs.writeFileSync(path.join(dist, 'index.html'), SHELL);
    fs.writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log("hearth")');
    fs.writeFileSync(path.join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    t = await withDist(dist, () => createTestApp({ config: { publicUrl: 'https://hearth.example' } }));
    bare = await withDist(path.join(dist, 'nothing-here'), () => createTestApp());
    call = api(t.app);
    [owner, member] = await createUsers(t.app, 'web_owner', 'web_member');

    expect(
      (
        await call(
          'POST',
          '/communities',
          { slug: 'open-kiln', name: 'Open <Kiln>', description: 'Potters' },
          owner,
        )
      ).status,
    ).toBe(201);
    expect(
      (
        await call(
          'POST',
          '/communities',
          { slug: 'hidden-kiln', name: 'Hidden', visibility: 'private' },
          owner,
        )
      ).status,
    ).toBe(201);
    expect((await call('POST', '/communities/open-kiln/join', {}, member)).status).toBe(200);

    const post = async (slug: string, title: string, body: string) => {
      const res = await call('POST', `/communities/${slug}/threads`, { title, body }, owner);
      expect(res.status).toBe(201);
      return res.body as { id: number; title: string };
    };
    publicThread = await post(
      'open-kiln',
      'Glaze "recipes" & <tips>',
      'Use **cone 6** #glaze <script>x</script>',
    );
    privateThread = await post('hidden-kiln', 'Secret firing schedule', 'Only for members');
    deletedThread = await post('open-kiln', 'Soon gone thread', 'Bye');
    expect((await call('DELETE', `/threads/${deletedThread.id}`, undefined, owner)).status).toBe(200);

    const first = await call('POST', `/threads/${publicThread.id}/comments`, { body: 'Top *level*' }, member);
    expect(first.status).toBe(201);
    const reply = await call(
      'POST',
      `/threads/${publicThread.id}/comments`,
      { body: 'A nested reply', parentId: first.body.id },
      owner,
    );
    expect(reply.status).toBe(201);
  });

  afterAll(async () => {
    await t?.close();
    await bare?.close();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  // As a browser navigates: asking for HTML.
  const get = (app: TestApp, url: string) =>
    app.app.inject({ method: 'GET', url, headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });

  it('serves the built app at / and for client-side routes, with the assets it needs', async () => {
    for (const url of ['/', '/communities/new', '/c/open-kiln', '/u/web_owner', '/settings?tab=tokens']) {
      const res = await get(t, url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('<div id="root"></div>');
      expect(res.body).toContain('needs JavaScript');
    }
    const js = await get(t, '/assets/index-abc123.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toContain('javascript');
    expect(js.headers['cache-control']).toContain('immutable');
    expect(js.body).toContain('hearth');
    expect((await get(t, '/favicon.svg')).headers['content-type']).toContain('svg');
    // A missing asset is a 404, not the app's page.
    expect((await get(t, '/assets/index-old.js')).statusCode).toBe(404);
    // A client that does not ask for HTML gets the JSON 404 for an unknown path.
    const json = await t.app.inject({
      method: 'GET',
      url: '/communities/new',
      headers: { accept: 'application/json' },
    });
    expect(json.statusCode).toBe(404);
    expect(json.json().error.code).toBe('NOT_FOUND');
  });

  it('keeps unknown /api paths a JSON 404 and never serves files outside the build', async () => {
    for (const url of ['/api/v1/nope', '/api/nothing', '/api']) {
      const res = await get(t, url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
    expect((await get(t, '/api/v1/health')).json()).toEqual({ ok: true });
    for (const url of ['/..%2f..%2fetc%2fpasswd', '/assets/..%2f..%2fpackage.json', '/%2e%2e/index.html']) {
      const res = await get(t, url);
      expect(res.body, url).not.toContain('root:x');
      expect(res.body, url).not.toContain('"name"');
    }
  });

  it('shows the landing page at / when there is no build', async () => {
    const res = await get(bare, '/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('/api/docs');
    expect((await get(bare, '/communities/new')).statusCode).toBe(404);
  });

  it('renders a public thread with title, body, nested comments, canonical URL and Open Graph tags', async () => {
    const res = await get(t, `/c/open-kiln/t/${publicThread.id}`);
    expect(res.statusCode).toBe(200);
    const html = res.body;
    const canonical = `https://hearth.example/c/open-kiln/t/${publicThread.id}`;
    expect(html).toContain(`<link rel="canonical" href="${canonical}">`);
    expect(html).toContain(`<meta property="og:url" content="${canonical}">`);
    expect(html).toContain(
      '<meta property="og:title" content="Glaze &quot;recipes&quot; &amp; &lt;tips&gt;">',
    );
    expect(html).toContain(
      '<title>Glaze &quot;recipes&quot; &amp; &lt;tips&gt; · Open &lt;Kiln&gt; · Hearth</title>',
    );
    expect(html).toContain('<h1>Glaze &quot;recipes&quot; &amp; &lt;tips&gt;</h1>');
    expect(html).toContain('<strong>cone 6</strong>');
    // The stored body is sanitized: the script tag arrives as text.
    expect(html).not.toContain('<script>x</script>');
    expect(html).toContain('2 comments');
    expect(html).toContain('<em>level</em>');
    // The reply is nested inside the first comment's item.
    expect(html).toMatch(
      /<li class="comment"[^>]*>.*Top <em>level<\/em>.*<ol class="comments replies">.*A nested reply/s,
    );
    // It boots the app when JavaScript is on, and the app mounts over this content.
    expect(html).toContain('src="/assets/index-abc123.js"');
    expect(html).toContain('<div id="root"><div class="ssr">');
    // The content is there without JavaScript, so the app's "needs JavaScript" note is dropped.
    expect(html).not.toContain('needs JavaScript');
  });

  it('renders without a build as a standalone page', async () => {
    const callBare = api(bare.app);
    const [writer] = await createUsers(bare.app, 'web_bare');
    expect((await callBare('POST', '/communities', { slug: 'bare-kiln', name: 'Bare' }, writer)).status).toBe(
      201,
    );
    const th = await callBare(
      'POST',
      '/communities/bare-kiln/threads',
      { title: 'No build', body: 'Hi' },
      writer,
    );
    const res = await get(bare, `/c/bare-kiln/t/${th.body.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>No build</h1>');
    expect(res.body).toContain('<link rel="canonical"');
    expect(res.body).not.toContain('<script');
  });

  it('redirects a thread URL with the wrong community to the canonical one', async () => {
    const res = await get(t, `/c/hidden-kiln/t/${publicThread.id}`);
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe(`/c/open-kiln/t/${publicThread.id}`);
  });

  it('never renders a private thread: a 404 page without its title, for anyone', async () => {
    for (const url of [`/c/hidden-kiln/t/${privateThread.id}`, `/c/open-kiln/t/${privateThread.id}`]) {
      const res = await get(t, url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).toContain('Not found');
      expect(res.body).not.toContain('Secret firing schedule');
      expect(res.body).not.toContain('Only for members');
      expect(res.body).not.toContain('hidden-kiln"');
      expect(res.headers.location).toBeUndefined();
    }
    // Not even with the owner's session: the server page is always the public view.
    const withOwner = await t.app.inject({
      method: 'GET',
      url: `/c/hidden-kiln/t/${privateThread.id}`,
      headers: owner.headers,
    });
    expect(withOwner.statusCode).toBe(404);
    expect(withOwner.body).not.toContain('Secret firing schedule');
    // The 404 page still boots the app, which then loads the thread for members.
    expect(withOwner.body).toContain('src="/assets/index-abc123.js"');
  });

  it('never renders a deleted thread, and answers 404 for ids that do not exist or are malformed', async () => {
    const res = await get(t, `/c/open-kiln/t/${deletedThread.id}`);
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('Soon gone thread');
    for (const id of ['999999', '0', 'abc', '99999999999']) {
      expect((await get(t, `/c/open-kiln/t/${id}`)).statusCode, id).toBe(404);
    }
  });

  it('stops rendering a thread once its community turns private', async () => {
    const res = await call('POST', '/communities', { slug: 'turning-kiln', name: 'Turning' }, owner);
    expect(res.status).toBe(201);
    const th = await call(
      'POST',
      '/communities/turning-kiln/threads',
      { title: 'Was public once', body: 'Hello' },
      owner,
    );
    expect((await get(t, `/c/turning-kiln/t/${th.body.id}`)).statusCode).toBe(200);
    const patch = await call(
      'PATCH',
      '/communities/turning-kiln',
      { visibility: 'private', joinPolicy: 'invite' },
      owner,
    );
    expect(patch.status).toBe(200);
    const after = await get(t, `/c/turning-kiln/t/${th.body.id}`);
    expect(after.statusCode).toBe(404);
    expect(after.body).not.toContain('Was public once');
  });
});
