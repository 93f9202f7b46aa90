import { escapeHtml as esc, type PageParts } from './web.shell.ts';

/**
 * The server-rendered thread page for crawlers and people without JavaScript. Its input
 * is what the public API answers an anonymous reader (web.routes.ts), so it can only
 * show what anyone may read; bodies are the stored, already sanitized `bodyHtml`.
 * Class names match the web app's stylesheet, so with the built app the page looks
 * like the app before the app takes over.
 */

interface Author {
  username: string;
  displayName: string;
}
/** Issue 9: the disclosure label of sponsored content, as the API gives it. */
type Sponsored = { campaignId: number; brand: { slug: string; name: string } } | null;
export interface PublicThread {
  id: number;
  title: string;
  excerpt: string;
  bodyHtml: string;
  tags: string[];
  score: number;
  commentCount: number;
  locked: boolean;
  createdAt: string;
  editedAt: string | null;
  author: Author;
  community: { slug: string; name: string };
  sponsored?: Sponsored;
}
export interface PublicComment {
  id: number;
  parentId: number | null;
  author: Author;
  bodyHtml: string | null;
  deleted: boolean;
  createdAt: string;
  sponsored?: Sponsored;
}

/** "Sponsored · Brand": visible on every sponsored post, never removable by its author (FTC Endorsement Guides). */
export const sponsoredLabel = (s: Sponsored | undefined) =>
  s
    ? `<p class="sponsored-label" data-campaign="${s.campaignId}">Sponsored · <a href="/brands/${encodeURIComponent(s.brand.slug)}">${esc(s.brand.name)}</a></p>`
    : '';

export const threadPath = (slug: string, id: number) => `/c/${encodeURIComponent(slug)}/t/${id}`;

const day = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' });
const time = (isoDate: string) =>
  `<time datetime="${esc(isoDate)}">${esc(day.format(new Date(isoDate)))}</time>`;
const byline = (a: Author) => `<a href="/u/${encodeURIComponent(a.username)}">${esc(a.displayName)}</a>`;

function commentTree(comments: PublicComment[]): string {
  const ids = new Set(comments.map((c) => c.id));
  const children = new Map<number | null, PublicComment[]>();
  for (const c of comments) {
    // A reply whose parent is not on this page still shows, at the top level.
    const parent = c.parentId !== null && ids.has(c.parentId) ? c.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(c);
    children.set(parent, list);
  }
  const render = (parent: number | null, depth: number): string => {
    const list = children.get(parent);
    if (!list?.length) return '';
    const items = list.map((c) => {
      const body = c.deleted || c.bodyHtml === null ? '<p class="muted">[deleted]</p>' : c.bodyHtml;
      const who = c.deleted ? '<span>[deleted]</span>' : byline(c.author);
      const label = c.deleted ? '' : sponsoredLabel(c.sponsored);
      return `<li class="comment" id="comment-${c.id}">${label}<p class="meta">${who} · ${time(c.createdAt)}</p><div class="prose">${body}</div>${render(c.id, depth + 1)}</li>`;
    });
    return `<ol class="comments${depth ? ' replies' : ''}">${items.join('')}</ol>`;
  };
  return render(null, 0);
}

export function threadPage(
  thread: PublicThread,
  comments: PublicComment[],
  opts: { publicUrl: string; more: boolean },
): PageParts {
  const url = `${opts.publicUrl.replace(/\/+$/, '')}${threadPath(thread.community.slug, thread.id)}`;
  const description = thread.excerpt || thread.title;
  const head = [
    `<meta name="description" content="${esc(description)}">`,
    `<link rel="canonical" href="${esc(url)}">`,
    `<meta property="og:type" content="article">`,
    `<meta property="og:site_name" content="Hearth">`,
    `<meta property="og:title" content="${esc(thread.title)}">`,
    `<meta property="og:description" content="${esc(description)}">`,
    `<meta property="og:url" content="${esc(url)}">`,
    `<meta property="article:published_time" content="${esc(thread.createdAt)}">`,
    ...thread.tags.map((t) => `<meta property="article:tag" content="${esc(t)}">`),
    `<meta name="twitter:card" content="summary">`,
  ].join('');
  const community = `/c/${encodeURIComponent(thread.community.slug)}`;
  const tags = thread.tags.length
    ? `<ul class="tags" aria-label="Tags">${thread.tags
        .map((t) => `<li><a class="tag" href="${community}?tag=${encodeURIComponent(t)}">#${esc(t)}</a></li>`)
        .join('')}</ul>`
    : '';
  const countLabel = `${thread.commentCount} ${thread.commentCount === 1 ? 'comment' : 'comments'}`;
  const body = `<div class="ssr">
<header class="site-header"><div class="site-header-inner"><a class="brand" href="/"><img src="/favicon.svg" alt="" width="24" height="24">Hearth</a>
<nav aria-label="Account" class="site-nav"><a href="/login">Log in</a><a href="/signup">Sign up</a></nav></div></header>
<main class="page" id="main">
<nav aria-label="Breadcrumb" class="breadcrumb"><a href="${community}">${esc(thread.community.name)}</a></nav>
<article class="thread">
${sponsoredLabel(thread.sponsored)}<h1>${esc(thread.title)}</h1>
<p class="meta">by ${byline(thread.author)} · ${time(thread.createdAt)}${thread.editedAt ? ' · edited' : ''} · score ${thread.score}${thread.locked ? ' · locked' : ''}</p>
<div class="prose">${thread.bodyHtml}</div>
${tags}
</article>
<section class="comments-section" aria-labelledby="comments-heading">
<h2 id="comments-heading">${countLabel}</h2>
${commentTree(comments)}
${opts.more ? `<p class="muted">More comments are in the app.</p>` : ''}
<p><a href="/login">Log in</a> or <a href="/signup">sign up</a> to join the conversation.</p>
</section>
</main></div>`;
  return { title: `${thread.title} · ${thread.community.name} · Hearth`, head, body };
}

export function notFoundPage(): PageParts {
  return {
    title: 'Not found · Hearth',
    head: '<meta name="robots" content="noindex">',
    body: `<div class="ssr"><header class="site-header"><div class="site-header-inner"><a class="brand" href="/"><img src="/favicon.svg" alt="" width="24" height="24">Hearth</a></div></header>
<main class="page" id="main"><h1>Not found</h1>
<p>This page does not exist, or you cannot see it. <a href="/">Back to Hearth</a></p></main></div>`,
  };
}
