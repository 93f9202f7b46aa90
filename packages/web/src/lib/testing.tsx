import { act, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { vi } from 'vitest';
import { SessionProvider } from '../app/session.tsx';
import type { Me } from './api.ts';

/**
 * Component-test helpers: a fetch stand-in answering "METHOD /path" routes (the path without
 * /api/v1, query included), and rendering inside the session provider as a signed-in member.
 */
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

export const ME: Me = {
  id: 9,
  username: 'ada',
  displayName: 'Ada',
  bio: '',
  avatarUrl: null,
  interests: [],
  email: 'ada@example.test',
  isAdmin: false,
  csrfToken: 't',
  createdAt: '2026-06-01T00:00:00.000Z',
};

export type Handler = (body: unknown, url: string) => unknown | Response;
export interface Call {
  method: string;
  path: string;
  body: unknown;
}

/** Installs a fetch answering `routes` (exact "GET /feed?limit=20", or a "GET /feed*" prefix); records calls. */
export function mockApi(routes: Record<string, Handler | unknown>, me: Me | null = ME) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    const path = url.replace(/^\/api\/v1/, '');
    const body = init?.body ? JSON.parse(init.body as string) : undefined;
    if (path === '/me' && method === 'GET') {
      return me
        ? new Response(JSON.stringify(me))
        : new Response('{"error":{"code":"UNAUTHENTICATED","message":"x"}}', { status: 401 });
    }
    calls.push({ method, path, body });
    const key = `${method} ${path}`;
    const match =
      key in routes
        ? routes[key]
        : Object.entries(routes).find(([k]) => k.endsWith('*') && key.startsWith(k.slice(0, -1)))?.[1];
    if (match === undefined) {
      return new Response(JSON.stringify({ error: { code: 'NOT_FOUND', message: `No mock for ${key}` } }), {
        status: 404,
      });
    }
    const out = typeof match === 'function' ? (match as Handler)(body, path) : match;
    return out instanceof Response ? out : new Response(JSON.stringify(out));
  });
  vi.stubGlobal('fetch', fetch);
  return calls;
}

export const apiError = (status: number, code: string, message: string) =>
  new Response(JSON.stringify({ error: { code, message } }), { status });

export const flush = () => act(async () => new Promise((r) => setTimeout(r, 0)));

export async function mount(node: ReactNode) {
  const container = document.createElement('div');
  document.body.appendChild(container);
  const root: Root = createRoot(container);
  await act(async () => root.render(<SessionProvider>{node}</SessionProvider>));
  await flush();
  await flush();
  return {
    container,
    unmount: async () => {
      await act(async () => root.unmount());
      container.remove();
    },
    button: (name: string | RegExp) =>
      [...container.querySelectorAll('button')].find((b) =>
        typeof name === 'string'
          ? (b.getAttribute('aria-label') ?? b.textContent) === name
          : name.test(b.getAttribute('aria-label') ?? b.textContent ?? ''),
      ),
  };
}

/** Types into a React-controlled input (sets the value the way React listens for). */
export function type(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
  const proto =
    el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(el, value);
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

export function select(el: HTMLSelectElement, value: string) {
  Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value')!.set!.call(el, value);
  el.dispatchEvent(new Event('change', { bubbles: true }));
}
