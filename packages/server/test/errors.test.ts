import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { ConfigError, loadConfig } from '../src/config.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { AppError, ERRORS, type ErrorCode } from '../src/platform/errors.ts';
import {
  createTestApp,
  createTestDb,
  createUser,
  type TestApp,
  type TestDb,
  type TestUser,
} from './harness.ts';

/** Every error body is exactly `{ error: { code, message } }` (plus `field` on validation errors), as JSON. */
function expectError(res: LightMyRequestResponse, status: number, code: ErrorCode | 'NOT_FOUND') {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.json();
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(0);
  for (const key of Object.keys(body.error)) expect(['code', 'message', 'field']).toContain(key);
  return body.error as { code: string; message: string; field?: string };
}

describe('error contract over HTTP', () => {
  let t: TestApp;
  let alice: TestUser;
  const inject = (o: InjectOptions) => t.app.inject(o);
  const login = (payload: string, contentType: string) =>
    inject({ method: 'POST', url: '/api/v1/auth/login', payload, headers: { 'content-type': contentType } });

  beforeAll(async () => {
    t = await createTestApp();
    alice = await createUser(t.app, 'err_alice');
  });
  afterAll(async () => t?.close());

  it('unknown route → 404 NOT_FOUND (any prefix, any method), without echoing the query', async () => {
    const e = expectError(
      await inject({ method: 'GET', url: '/api/v1/no-such-thing?secret=1' }),
      404,
      'NOT_FOUND',
    );
    expect(e.message).toBe('No route GET /api/v1/no-such-thing');
    expectError(await inject({ method: 'GET', url: '/nope' }), 404, 'NOT_FOUND');
    expectError(await inject({ method: 'PUT', url: '/api/v1/me' }), 404, 'NOT_FOUND');
    expectError(await inject({ method: 'DELETE', url: '/api/v1/health' }), 404, 'NOT_FOUND');
  });

  it('a malformed URL → 400 VALIDATION_FAILED in the same shape', async () => {
    expectError(await inject({ method: 'GET', url: '/api/v1/users/%E0%A4%A' }), 400, 'VALIDATION_FAILED');
  });

  it('invalid or empty JSON → 400 VALIDATION_FAILED', async () => {
    expectError(await login('{"login": "a", ', 'application/json'), 400, 'VALIDATION_FAILED');
    expectError(await login('', 'application/json'), 400, 'VALIDATION_FAILED');
    expectError(await login('"just a string"', 'application/json'), 400, 'VALIDATION_FAILED');
  });

  it('a body over 1 MiB → 413 PAYLOAD_TOO_LARGE; exactly 1 MiB is parsed', async () => {
    const sized = (bytes: number) => {
      const shell = JSON.stringify({ login: '', password: 'x' });
      return JSON.stringify({ login: 'x'.repeat(bytes - shell.length), password: 'x' });
    };
    expect(Buffer.byteLength(sized(1024 * 1024))).toBe(1024 * 1024);
    expectError(await login(sized(1024 * 1024 + 1), 'application/json'), 413, 'PAYLOAD_TOO_LARGE');
    // 1 MiB exactly gets past the parser and fails on the schema (login is at most 254 characters).
    const e = expectError(await login(sized(1024 * 1024), 'application/json'), 400, 'VALIDATION_FAILED');
    expect(e.field).toBe('body.login');
  });

  it.each([
    'text/plain',
    'text/plain; charset=utf-8',
    'application/xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
  ])('a %s body on a JSON route → 415 UNSUPPORTED_MEDIA_TYPE', async (contentType) => {
    const e = expectError(
      await login('{"login":"a","password":"b"}', contentType),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expect(e.message).toMatch(/application\/json/);
  });

  it('application/json with a charset is accepted', async () => {
    expectError(
      await login('{"login":"nobody","password":"b"}', 'application/json; charset=utf-8'),
      401,
      'INVALID_CREDENTIALS',
    );
  });

  it('a missing required field → 400 naming it (message and field)', async () => {
    const e = expectError(await login('{"login":"a"}', 'application/json'), 400, 'VALIDATION_FAILED');
    expect(e).toMatchObject({ field: 'body.password', message: 'body.password is required' });
    const c = await inject({
      method: 'POST',
      url: '/api/v1/communities',
      headers: alice.headers,
      payload: { slug: 'no-name' },
    });
    expect(expectError(c, 400, 'VALIDATION_FAILED')).toMatchObject({
      field: 'body.name',
      message: expect.stringContaining('name'),
    });
  });

  it('a bad parameter or query value → 400 naming it', async () => {
    const p = expectError(
      await inject({ method: 'DELETE', url: '/api/v1/me/tokens/abc', headers: alice.headers }),
      400,
      'VALIDATION_FAILED',
    );
    expect(p.field).toBe('params.id');
    const q = expectError(
      await inject({ method: 'GET', url: '/api/v1/communities?limit=1000', headers: alice.headers }),
      400,
      'VALIDATION_FAILED',
    );
    expect(q.field).toBe('querystring.limit');
  });

  it('a bad cursor → 400 INVALID_CURSOR', async () => {
    const created = await inject({
      method: 'POST',
      url: '/api/v1/communities',
      headers: alice.headers,
      payload: { slug: 'err-cursors', name: 'Cursors' },
    });
    expect(created.statusCode).toBe(201);
    const notOurs = Buffer.from('{"a":1}').toString('base64url');
    const wrongShape = Buffer.from('[1,2,3]').toString('base64url');
    for (const url of [
      '/api/v1/communities?cursor=!!!not-base64',
      `/api/v1/communities?cursor=${notOurs}`,
      '/api/v1/communities/err-cursors/threads?cursor=zzz',
      `/api/v1/communities/err-cursors/threads?cursor=${wrongShape}`,
    ]) {
      const e = expectError(
        await inject({ method: 'GET', url, headers: alice.headers }),
        400,
        'INVALID_CURSOR',
      );
      expect(e.message).toMatch(/cursor/);
    }
  });

  it('GET /api/v1/health → {ok:true}', async () => {
    const res = await inject({ method: 'GET', url: '/api/v1/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true });
  });

  it('GET /api/v1/openapi.json is an OpenAPI 3 document listing the API', async () => {
    const res = await inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.components.securitySchemes).toMatchObject({
      session: { type: 'apiKey', in: 'cookie', name: 'hearth_session' },
      bearer: { type: 'http', scheme: 'bearer' },
    });
    const expected: [string, string[]][] = [
      ['/api/v1/health', ['get']],
      ['/api/v1/auth/signup', ['post']],
      ['/api/v1/auth/login', ['post']],
      ['/api/v1/auth/logout', ['post']],
      ['/api/v1/me', ['get', 'patch']],
      ['/api/v1/me/tokens', ['get', 'post']],
      ['/api/v1/me/tokens/{id}', ['delete']],
      ['/api/v1/users/{username}', ['get']],
      ['/api/v1/communities', ['get', 'post']],
      ['/api/v1/communities/{slug}', ['get']],
      ['/api/v1/communities/{slug}/threads', ['get', 'post']],
      ['/api/v1/threads/{id}', ['get']],
      ['/api/v1/threads/{id}/comments', ['get', 'post']],
    ];
    for (const [path, methods] of expected) {
      expect(doc.paths, path).toHaveProperty([path]);
      for (const m of methods) expect(doc.paths[path], `${m} ${path}`).toHaveProperty([m]);
    }
    const paths = Object.keys(doc.paths);
    expect(paths).not.toContain('/api/v1/openapi.json'); // hidden routes stay hidden
    expect(paths).not.toContain('/');
    const methods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
    for (const path of paths) {
      expect(path).toMatch(/^\/[^:]*$/); // templated as {param}, never Fastify's :param
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries<any>(doc.paths[path])) {
        expect(methods.has(method), `${method} ${path}`).toBe(true);
        expect(Object.keys(op.responses ?? {}).length, `${method} ${path} responses`).toBeGreaterThan(0);
        const declared = (op.parameters ?? []).filter((p: any) => p.in === 'path');
        expect(declared.map((p: any) => p.name).sort(), `${method} ${path}`).toEqual([...templated].sort());
        for (const p of declared) expect(p.required).toBe(true);
      }
    }
    const signup = doc.paths['/api/v1/auth/signup'].post.requestBody.content['application/json'].schema;
    expect(signup.required).toEqual(expect.arrayContaining(['username', 'email', 'password']));
    // Every $ref points at something in the document.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/([^"]+)"/g)].map((m) => m[1]!);
    for (const ref of refs) {
      const target = ref
        .split('/')
        .reduce((node: any, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
      expect(target, ref).toBeDefined();
    }
  });

  it('/api/docs answers with the interactive docs', async () => {
    let res = await inject({ method: 'GET', url: '/api/docs' });
    for (let hops = 0; res.statusCode >= 300 && res.statusCode < 400 && hops < 3; hops++) {
      const next = new URL(String(res.headers.location), 'http://localhost/api/docs/');
      res = await inject({ method: 'GET', url: next.pathname + next.search });
    }
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toMatch(/swagger/i);
  });
});

describe('error handler mapping', () => {
  let testDb: TestDb;
  let app: FastifyInstance;
  beforeAll(async () => {
    testDb = await createTestDb();
    app = await buildApp({
      db: testDb.db,
      clock: new ManualClock(),
      logger: false,
      config: { databaseUrl: null },
    });
    app.get('/boom', async () => {
      throw new Error('secret internals: password=hunter2');
    });
    app.get('/coded/:code', async (req) => {
      const { code } = req.params as { code: ErrorCode };
      throw new AppError(
        code,
        `failed with ${code}`,
        code === 'LOGIN_THROTTLED' ? { retryAfterSeconds: 42 } : {},
      );
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await testDb?.drop();
  });

  it('an unexpected exception → 500 INTERNAL without leaking its message', async () => {
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expectError(res, 500, 'INTERNAL');
    expect(res.body).not.toMatch(/secret|hunter2|stack/i);
  });

  it('maps every catalogued code to its status and the same shape', async () => {
    for (const [code, status] of Object.entries(ERRORS) as [ErrorCode, number][]) {
      const res = await app.inject({ method: 'GET', url: `/coded/${code}` });
      expect(expectError(res, status, code).message).toBe(`failed with ${code}`);
      if (code === 'LOGIN_THROTTLED') expect(res.headers['retry-after']).toBe('42');
    }
  });
});

describe('loadConfig', () => {
  const fails = (env: NodeJS.ProcessEnv): ConfigError => {
    try {
      loadConfig(env);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return err as ConfigError;
    }
    throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
  };

  it('uses the embedded defaults when nothing is set', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      databaseUrl: null,
      redisUrl: null,
      smtpUrl: null,
      port: 3000,
      logLevel: 'info',
      trustProxy: false,
    });
    expect(c.publicUrl).toBe('http://localhost:3000');
  });

  it('accepts good values', () => {
    const c = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgresql://u@db/hearth',
      HEARTH_LOG_LEVEL: 'warn',
      HEARTH_TRUST_PROXY: 'true',
    });
    expect(c).toMatchObject({
      port: 8080,
      databaseUrl: 'postgresql://u@db/hearth',
      logLevel: 'warn',
      trustProxy: true,
    });
  });

  it.each(['abc', '70000', '-1', '80.5', ' 80'])('rejects PORT=%j naming PORT', (port) => {
    expect(fails({ PORT: port }).message).toMatch(/PORT=.*is not a port number/);
  });

  it('rejects a non-PostgreSQL DATABASE_URL naming DATABASE_URL', () => {
    expect(fails({ DATABASE_URL: 'mysql://root@localhost/hearth' }).message).toMatch(
      /DATABASE_URL must start with postgres:/,
    );
    expect(fails({ DATABASE_URL: 'not a url' }).message).toContain('DATABASE_URL');
  });

  it('rejects HEARTH_LOG_LEVEL=loud naming HEARTH_LOG_LEVEL', () => {
    expect(fails({ HEARTH_LOG_LEVEL: 'loud' }).message).toMatch(/HEARTH_LOG_LEVEL must be one of/);
  });

  it('lists every bad value at once', () => {
    const err = fails({
      PORT: 'x',
      DATABASE_URL: 'mysql://h/db',
      HEARTH_LOG_LEVEL: 'loud',
      REDIS_URL: 'http://r',
    });
    expect(err.problems).toHaveLength(4);
    for (const name of ['PORT', 'DATABASE_URL', 'HEARTH_LOG_LEVEL', 'REDIS_URL'])
      expect(err.message).toContain(name);
  });
});
