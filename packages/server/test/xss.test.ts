import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestApp, createUser, type TestApp, type TestUser } from './harness.ts';

/**
 * Stored XSS: known payloads (after the OWASP XSS Filter Evasion Cheat Sheet) go
 * through every text field. Rendered HTML must come out inert; plain-text fields
 * come back as the exact text (JSON), never interpreted, for the client to escape.
 */
const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg/onload=alert(1)>',
  '<body onload=alert(1)>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<a href="javascript:alert(1)">x</a>',
  '[x](javascript:alert(1))',
  '[x](JAVASCRIPT:alert(1))',
  '[x](  javascript:alert(1))',
  '[x](java&#x09;script:alert(1))',
  '![x](x" onerror="alert(1))',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '"><script>alert(1)</script>',
  "'-alert(1)-'",
  '<details open ontoggle=alert(1)>',
  '<object data="javascript:alert(1)">',
  '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
  '<style>@import "http://evil.test/x.css";</style>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<form action="javascript:alert(1)"><button>x</button></form>',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '`<script>` inside code is text',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
];

const DANGEROUS = [
  /<\s*(script|iframe|svg|object|embed|style|meta|form|body|math|details)\b/i,
  /<[^>]*\son\w+\s*=/i,
  /<[^>]*\s(href|src|action|data)\s*=\s*"?\s*(javascript|vbscript|data):/i,
  /<[^>]*\sstyle\s*=/i,
];

describe('stored XSS payloads through every text field', () => {
  let t: TestApp;
  let u: TestUser;
  let call: ReturnType<typeof api>;
  beforeAll(async () => {
    t = await createTestApp();
    call = api(t.app);
    u = await createUser(t.app, 'xss_user');
    await call('POST', '/communities', { slug: 'xss', name: 'XSS' }, u);
  });
  afterAll(async () => t.close());

  it.each(PAYLOADS)('renders %s inert and keeps text fields as text', async (payload) => {
    const th = await call('POST', '/communities/xss/threads', { title: payload, body: payload }, u);
    expect(th.status).toBe(201);
    expect(th.body.title).toBe(payload.trim());
    for (const re of DANGEROUS) expect(th.body.bodyHtml).not.toMatch(re);
    const cm = await call('POST', `/threads/${th.body.id}/comments`, { body: payload }, u);
    for (const re of DANGEROUS) expect(cm.body.bodyHtml).not.toMatch(re);
    const edited = await call('PATCH', `/comments/${cm.body.id}`, { body: `${payload} edited` }, u);
    for (const re of DANGEROUS) expect(edited.body.bodyHtml).not.toMatch(re);
    const me = await call('PATCH', '/me', { displayName: payload.slice(0, 64), bio: payload }, u);
    expect(me.status).toBe(200);
    expect(me.body.bio).toBe(payload);
    const c = await call('PATCH', '/communities/xss', { description: payload, guidelines: payload }, u);
    expect(c.body.description).toBe(payload);
  });
});
