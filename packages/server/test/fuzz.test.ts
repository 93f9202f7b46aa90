import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestApp, createUser, type TestApp, type TestUser } from './harness.ts';

/**
 * Schema-driven fuzzing: every route of the OpenAPI document gets requests with
 * wrong types, huge and unicode strings, missing and extra fields, odd path
 * parameters. No request may produce a 5xx, and every error must be coded.
 */
const TOTAL_REQUESTS = 20_000;

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  anyOf?: Schema[];
  items?: Schema;
};
type Operation = {
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  parameters?: { in: string; name: string }[];
};

const weird = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ minLength: 5000, maxLength: 70_000 }).map((s) => s || 'x'.repeat(70_000)),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '../../etc/passwd',
    "' or 1=1 --",
    '<script>alert(1)</script>',
    '𝕳𝖊𝖆𝖗𝖙𝖍',
    '\u202e',
  ),
  fc.integer(),
  fc.constantFrom(-1, 0, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER, -0, 1e308),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string({ maxLength: 10 }), fc.integer()), { maxLength: 50 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 5 }),
);

/** A body shaped like the schema (so validation passes deeper) but with random values, some fields missing. */
function shapedBody(schema: Schema | undefined) {
  const props = Object.keys(schema?.properties ?? {});
  if (!props.length) return fc.oneof(fc.constant(undefined), fc.anything({ maxDepth: 2 }));
  return fc.oneof(
    fc.record(Object.fromEntries(props.map((p) => [p, weird])), { requiredKeys: [] }),
    fc.anything({ maxDepth: 2 }),
    fc.constant(undefined),
  );
}

/** Cursors that decode fine but hold values no list ever issued (huge ids, wrong types). */
const forgedCursor = fc
  .array(
    fc.oneof(
      fc.double(),
      fc.integer(),
      fc.constantFrom(1e20, -1, 2 ** 31, 2 ** 53),
      fc.string({ maxLength: 5 }),
    ),
    {
      maxLength: 3,
    },
  )
  .map((a) => Buffer.from(JSON.stringify(a)).toString('base64url'));

const pathValue = fc.oneof(
  fc.integer({ min: -5, max: 50 }).map(String),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom('99999999999999999999', '1e5', '0x10', '%00', 'null', 'general', 'a'.repeat(500)),
);

describe('fuzzing every route from its OpenAPI schema', () => {
  let t: TestApp;
  let member: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    member = await createUser(t.app, 'fuzz_member');
    const call = api(t.app);
    await call('POST', '/communities', { slug: 'general', name: 'General' }, member);
    const th = await call(
      'POST',
      '/communities/general/threads',
      { title: 'Fuzz target', body: 'body' },
      member,
    );
    await call('POST', `/threads/${th.body.id}/comments`, { body: 'a comment' }, member);
  });
  afterAll(async () => t.close());

  it('never answers 5xx and always with a coded error', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, Record<string, Operation>>;
    };
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
    );
    // Log-out and token revocation would end the fuzzing member's own access; fuzz them anonymously only.
    const selfDestructive = (p: string) => p.endsWith('/auth/logout') || p.startsWith('/api/v1/me/tokens/');
    const runsPerRoute = Math.ceil(TOTAL_REQUESTS / operations.length);
    let sent = 0;
    const failures: string[] = [];
    for (const { path, method, op } of operations) {
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      const queryNames = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      await fc.assert(
        fc.asyncProperty(
          fc.array(pathValue, { minLength: 4, maxLength: 4 }),
          fc.dictionary(
            fc.constantFrom(...queryNames, 'junk', 'cursor'),
            fc.oneof(fc.string({ maxLength: 30 }), fc.integer().map(String), forgedCursor),
            {
              maxKeys: 3,
            },
          ),
          shapedBody(bodySchema),
          fc.boolean(),
          async (params, query, body, signedIn) => {
            let i = 0;
            const url = path.replace(/\{[^}]+\}/g, () => encodeURIComponent(params[i++] ?? '1'));
            const res = await t.app.inject({
              method: method as 'GET',
              url,
              query,
              headers: signedIn && !selfDestructive(path) ? member.headers : {},
              ...(method !== 'GET' &&
                body !== undefined && {
                  payload: JSON.stringify(body),
                  headers: {
                    ...(signedIn && !selfDestructive(path) ? member.headers : {}),
                    'content-type': 'application/json',
                  },
                }),
            });
            sent++;
            const ok =
              res.statusCode < 500 && (res.statusCode < 400 || typeof res.json()?.error?.code === 'string');
            if (!ok) failures.push(`${method} ${url} → ${res.statusCode} ${res.body.slice(0, 200)}`);
            return ok;
          },
        ),
        { numRuns: runsPerRoute, seed: 42 },
      );
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(TOTAL_REQUESTS);
  }, 300_000);
});
