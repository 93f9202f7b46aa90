import { describe, expect, it } from 'vitest';
import {
  extractMentions,
  extractTags,
  insertMention,
  mentionAt,
  parseTags,
  suggestMembers,
} from './mentions.ts';

describe('mention and tag parsing (same patterns as the server)', () => {
  it('finds @mentions and #tags, lower-cased and unique, but not inside code or e-mail addresses', () => {
    const text =
      'Hi @Maya and @jonas_r, see #Trail-Running and #gear.\n`@not_me #nope`\n```\n@fenced #fenced\n```\nmail a@b.example @Maya';
    expect(extractMentions(text)).toEqual(['maya', 'jonas_r']);
    expect(extractTags(text)).toEqual(['trail-running', 'gear']);
  });

  it('ignores names that are too short or glued to words, and HTML entities that look like tags', () => {
    expect(extractMentions('@ab x@maya @maya!')).toEqual(['maya']);
    expect(extractTags('&#39; a#b #-x #ok')).toEqual(['ok']);
  });

  it('knows the @word being typed at the caret', () => {
    expect(mentionAt('Hello @ma', 9)).toEqual({ start: 6, query: 'ma' });
    expect(mentionAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionAt('Hello @ma there', 15)).toBeNull();
    expect(mentionAt('mail me at x@ma', 15)).toBeNull();
    expect(mentionAt('code `@ma', 9)).toBeNull();
    expect(mentionAt('```\n@ma', 7)).toBeNull();
    // Mid-text: only what is before the caret counts.
    expect(mentionAt('ask @jo about it', 7)).toEqual({ start: 4, query: 'jo' });
  });

  it('inserts the chosen name, replacing the whole partial word, with one space after it', () => {
    expect(insertMention('Hi @ma', 3, 6, 'maya')).toEqual({ text: 'Hi @maya ', caret: 9 });
    // Caret in the middle of the word: the rest of the word goes too; an existing space is reused.
    expect(insertMention('Hi @mabc there', 3, 6, 'maya')).toEqual({ text: 'Hi @maya there', caret: 9 });
    expect(insertMention('@j,', 0, 2, 'jonas')).toEqual({ text: '@jonas ,', caret: 7 });
  });

  it('ranks suggestions: username prefix, then a display-name word, then anywhere', () => {
    const members = [
      { username: 'tom', displayName: 'Tom Hughes' },
      { username: 'maya', displayName: 'Maya Okafor' },
      { username: 'amaya', displayName: 'Amaya Ruiz' },
      { username: 'zed', displayName: 'Zed Mayall' },
      { username: 'kofi', displayName: 'Kofi Mensah' },
    ];
    expect(suggestMembers(members, 'MAY').map((m) => m.username)).toEqual(['maya', 'zed', 'amaya']);
    expect(suggestMembers(members, '').length).toBe(5);
    expect(suggestMembers(members, '', 2).length).toBe(2);
    expect(suggestMembers(members, 'xyz')).toEqual([]);
  });

  it('parses a tags field and reports the words that are not tags', () => {
    expect(parseTags('trail, #Hills  night-runs,trail')).toEqual({
      tags: ['trail', 'hills', 'night-runs'],
      invalid: [],
    });
    expect(parseTags('ok bad_tag -dash')).toEqual({ tags: ['ok'], invalid: ['bad_tag', '-dash'] });
    expect(parseTags('  ')).toEqual({ tags: [], invalid: [] });
  });
});
