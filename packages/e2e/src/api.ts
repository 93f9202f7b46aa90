import type { Page } from 'playwright-core';

/**
 * Setting a scene through the HTTP API from a browser page (its cookies: the session and the
 * CSRF token the API wants echoed on writes), so browser tests spend their time on what they
 * test rather than on filling forms they do not test.
 */
export const PASSWORD = 'correct horse battery';

export async function signUpApi(page: Page, username: string, displayName: string): Promise<number> {
  const res = await page.request.post('/api/v1/auth/signup', {
    data: { username, email: `${username}@example.test`, password: PASSWORD, displayName },
  });
  if (res.status() !== 201) throw new Error(`signup ${username}: ${res.status()} ${await res.text()}`);
  return (await res.json()).user.id;
}

/** A JSON API call as the page's signed-in member; throws with the body unless `status` comes back. */
export async function call(
  page: Page,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  data?: unknown,
  status = method === 'POST' && /\/(communities|threads|comments|reports|notes)$/.test(path) ? 201 : 200,
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers of every shape; the tests read what they need
): Promise<any> {
  const csrf = (await page.context().cookies()).find((c) => c.name === 'hearth_csrf')?.value ?? '';
  const res = await page.request.fetch(`/api/v1${path}`, {
    method,
    headers: { 'x-csrf-token': csrf },
    ...(data !== undefined && { data }),
  });
  const text = await res.text();
  if (res.status() !== status) throw new Error(`${method} ${path}: ${res.status()} ${text}`);
  return text ? JSON.parse(text) : null;
}
