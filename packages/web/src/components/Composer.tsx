import { type KeyboardEvent, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { api, errorMessage, type Member } from '../lib/api.ts';
import { extractMentions, extractTags, insertMention, mentionAt, suggestMembers } from '../lib/mentions.ts';
import { Avatar } from './Avatar.tsx';
import { Markdown } from './Prose.tsx';

/** Members of a community, fetched once per page load for @mention suggestions. */
const memberCache = new Map<string, Promise<Member[]>>();
export function loadMentionables(slug: string): Promise<Member[]> {
  let p = memberCache.get(slug);
  if (!p) {
    p = api.members(slug, { limit: 200 }).then((page) => page.items.filter((m) => m.status === 'active'));
    // A failure is not cached: the next @ tries again.
    p.catch(() => memberCache.delete(slug));
    memberCache.set(slug, p);
  }
  return p;
}
export const clearMentionCache = () => memberCache.clear();

export interface ComposerProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** The community whose members @mention suggests. */
  slug?: string;
  placeholder?: string;
  rows?: number;
  autoFocus?: boolean;
  required?: boolean;
  /** Ctrl/⌘ + Enter. */
  onSubmitShortcut?: () => void;
  /** Say which #tags the text will add (threads). */
  showTags?: boolean;
}

/**
 * Markdown text box with a Write / Preview switch and @mention autocomplete (a combobox:
 * arrows move, Enter or Tab picks, Escape closes). The preview renders in the browser;
 * the server renders the stored HTML the same way.
 */
export function Composer({
  label,
  value,
  onChange,
  slug,
  placeholder,
  rows = 6,
  autoFocus,
  required,
  onSubmitShortcut,
  showTags,
}: ComposerProps) {
  const id = useId();
  const listId = `${id}-mentions`;
  const ref = useRef<HTMLTextAreaElement>(null);
  const [mode, setMode] = useState<'write' | 'preview'>('write');
  const [members, setMembers] = useState<Member[] | null>(null);
  const [membersError, setMembersError] = useState<unknown>(null);
  const [mention, setMention] = useState<{ start: number; query: string } | null>(null);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  const pendingCaret = useRef<number | null>(null);

  const suggestions = mention && members ? suggestMembers(members, mention.query) : [];
  const open =
    mode === 'write' && mention !== null && mention.start !== dismissedAt && suggestions.length > 0;

  useEffect(() => {
    if (!mention || !slug || members) return;
    let live = true;
    loadMentionables(slug).then(
      (m) => live && setMembers(m),
      (err) => live && setMembersError(err),
    );
    return () => {
      live = false;
    };
  }, [mention, slug, members]);

  useLayoutEffect(() => {
    if (pendingCaret.current !== null && ref.current) {
      ref.current.focus();
      ref.current.setSelectionRange(pendingCaret.current, pendingCaret.current);
      pendingCaret.current = null;
    }
  });

  const track = (text: string, caret: number) => {
    const m = slug ? mentionAt(text, caret) : null;
    setMention(m);
    if (!m || m.start !== dismissedAt) setDismissedAt(null);
    setActive(0);
  };

  const pick = (username: string) => {
    if (!mention || !ref.current) return;
    const next = insertMention(value, mention.start, ref.current.selectionStart ?? value.length, username);
    pendingCaret.current = next.caret;
    onChange(next.text);
    setMention(null);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (open) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const step = e.key === 'ArrowDown' ? 1 : -1;
        setActive((a) => (a + step + suggestions.length) % suggestions.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        pick(suggestions[active]!.username);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        setDismissedAt(mention!.start);
        return;
      }
    }
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && onSubmitShortcut) {
      e.preventDefault();
      onSubmitShortcut();
    }
  };

  const tags = showTags ? extractTags(value) : [];
  const mentions = extractMentions(value);

  return (
    <div className="composer">
      <div className="composer-head">
        <label htmlFor={id} className="composer-label">
          {label}
        </label>
        {/* biome-ignore lint/a11y/useSemanticElements: a toolbar of two toggle buttons, not a fieldset */}
        <div className="composer-modes" role="group" aria-label="Editor mode">
          <button type="button" aria-pressed={mode === 'write'} onClick={() => setMode('write')}>
            Write
          </button>
          <button type="button" aria-pressed={mode === 'preview'} onClick={() => setMode('preview')}>
            Preview
          </button>
        </div>
      </div>
      <div className="composer-body" style={{ minHeight: `${rows * 1.5 + 1.5}rem` }}>
        <textarea
          ref={ref}
          id={id}
          className="composer-input"
          hidden={mode !== 'write'}
          value={value}
          rows={rows}
          placeholder={placeholder}
          required={required}
          // biome-ignore lint/a11y/noAutofocus: only where the person just asked to write (reply, edit)
          autoFocus={autoFocus}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-activedescendant={open ? `${listId}-${active}` : undefined}
          aria-describedby={`${id}-hint`}
          onChange={(e) => {
            onChange(e.target.value);
            track(e.target.value, e.target.selectionStart ?? e.target.value.length);
          }}
          onSelect={(e) => {
            const t = e.currentTarget;
            track(t.value, t.selectionStart ?? t.value.length);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setTimeout(() => setMention(null), 150)}
        />
        <div id={listId} role="listbox" aria-label="Members to mention" className="mentions" hidden={!open}>
          {open &&
            suggestions.map((m, i) => (
              // biome-ignore lint/a11y/useKeyWithClickEvents: the textarea handles the keyboard (combobox pattern)
              <div
                key={m.username}
                id={`${listId}-${i}`}
                role="option"
                tabIndex={-1}
                aria-selected={i === active}
                className={i === active ? 'active' : ''}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => pick(m.username)}
              >
                <Avatar user={m} size={24} />
                <span className="mention-name">{m.displayName}</span>
                <span className="muted">@{m.username}</span>
              </div>
            ))}
        </div>
        {mode === 'preview' && (
          <div className="composer-preview" aria-live="polite">
            {value.trim() ? <Markdown source={value} /> : <p className="muted">Nothing to preview yet.</p>}
          </div>
        )}
      </div>
      <p id={`${id}-hint`} className="hint">
        Markdown: **bold**, _italic_, `code`, [links](https://…), lists.
        {slug ? ' Type @ to mention a member.' : ''}
        {showTags ? ' #words become tags.' : ''}
      </p>
      {membersError ? (
        <p className="hint error-text">Member suggestions unavailable: {errorMessage(membersError)}</p>
      ) : null}
      {(mentions.length > 0 || tags.length > 0) && (
        <p className="hint detected">
          {mentions.length > 0 && <span>Mentions: {mentions.map((m) => `@${m}`).join(', ')}</span>}
          {tags.length > 0 && <span>Tags: {tags.map((t) => `#${t}`).join(', ')}</span>}
        </p>
      )}
    </div>
  );
}
