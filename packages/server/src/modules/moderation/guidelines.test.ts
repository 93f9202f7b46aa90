import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRules } from './guidelines.service.ts';
import { createScene, fails, must, newCommunity, type Scene, thread } from './moderation.fixtures.ts';

describe('guidelines: numbered rules', () => {
  it('takes top-level numbered list items as rules', () => {
    expect(
      parseRules('Intro\n\n1. Be kind\n2) No spam\n   - detail\n10. Stay on topic\n1. duplicate'),
    ).toEqual([
      { number: 1, text: 'Be kind' },
      { number: 2, text: 'No spam' },
      { number: 10, text: 'Stay on topic' },
    ]);
    expect(parseRules('No numbered rules here')).toEqual([]);
  });
});

describe('guidelines: versions and re-acceptance', () => {
  let s: Scene;
  beforeAll(async () => {
    s = await createScene();
  });
  afterAll(async () => s?.t.close());

  it('gives the current version with its rules; members who joined have accepted it', async () => {
    const g = await must(s.call('GET', `/communities/${s.slug}/guidelines`, undefined, s.alice));
    expect(g.body).toMatchObject({
      version: 1,
      rules: [
        { number: 1, text: 'Be kind' },
        { number: 2, text: 'No spam' },
        { number: 3, text: 'Stay on topic' },
      ],
      me: { acceptedVersion: 1, reacceptRequired: false },
    });
    const anon = await must(s.call('GET', `/communities/${s.slug}/guidelines`));
    expect(anon.body.me).toBeNull();
  });

  it('makes a new version when the text changes and blocks posting until members accept it again', async () => {
    s.t.clock.advance(60_000);
    await must(
      s.call(
        'PATCH',
        `/communities/${s.slug}`,
        { guidelines: '1. Be kind\n2. No spam\n3. No self-promotion' },
        s.owner,
      ),
    );
    await s.t.app.events.drain();
    const g = await must(s.call('GET', `/communities/${s.slug}/guidelines`, undefined, s.alice));
    expect(g.body).toMatchObject({ version: 2, me: { acceptedVersion: 1, reacceptRequired: true } });
    expect(g.body.rules[2]).toEqual({ number: 3, text: 'No self-promotion' });

    // Posting and commenting wait for re-acceptance; reacting and reading do not; moderators are not blocked.
    const t = await thread(s, s.mod);
    await fails(
      s.call('POST', `/communities/${s.slug}/threads`, { title: 'Hi', body: 'there' }, s.alice),
      403,
      'GUIDELINES_REACCEPT_REQUIRED',
    );
    await fails(
      s.call('POST', `/threads/${t.id}/comments`, { body: 'hi' }, s.alice),
      403,
      'GUIDELINES_REACCEPT_REQUIRED',
    );
    await must(s.call('POST', `/threads/${t.id}/reactions`, { kind: 'like' }, s.alice));

    // Accepting an old version is refused; the current one unblocks.
    await fails(
      s.call('POST', `/communities/${s.slug}/guidelines/accept`, { version: 1 }, s.alice),
      400,
      'VALIDATION_FAILED',
    );
    const ok = await must(
      s.call('POST', `/communities/${s.slug}/guidelines/accept`, { version: 2 }, s.alice),
    );
    expect(ok.body).toEqual({ acceptedVersion: 2, reacceptRequired: false });
    await thread(s, s.alice, 'Back again', 'After accepting the new rules');

    const versions = await must(s.call('GET', `/communities/${s.slug}/guidelines/versions`));
    expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions.body.items[1].body).toBe('1. Be kind\n2. No spam\n3. Stay on topic');
  });

  it('counts a member who joins after the change as having accepted the new version', async () => {
    s.t.clock.advance(60_000);
    const newcomer = s.outsider;
    await must(s.call('POST', `/communities/${s.slug}/join`, { acceptGuidelines: true }, newcomer));
    const g = await must(s.call('GET', `/communities/${s.slug}/guidelines`, undefined, newcomer));
    expect(g.body.me).toEqual({ acceptedVersion: 2, reacceptRequired: false });
    await thread(s, newcomer, 'Newcomer', 'Hello everyone');
  });

  it('versions edits even before the event handler runs (first read makes the version)', async () => {
    s.t.clock.advance(60_000);
    await must(s.call('PATCH', `/communities/${s.slug}`, { guidelines: '1. Be kind\n2. Be brief' }, s.owner));
    // No drain: the gate itself notices the new text.
    await fails(
      s.call('POST', `/communities/${s.slug}/threads`, { title: 'Hi', body: 'there' }, s.bob),
      403,
      'GUIDELINES_REACCEPT_REQUIRED',
    );
    await s.t.app.events.drain();
    const versions = await must(s.call('GET', `/communities/${s.slug}/guidelines/versions`));
    expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
  });

  it('accepting needs membership; a private community hides its guidelines from outsiders', async () => {
    const stranger = s.outsider;
    await must(s.call('POST', `/communities/${s.slug}/leave`, undefined, stranger));
    await fails(
      s.call('POST', `/communities/${s.slug}/guidelines/accept`, { version: 3 }, stranger),
      403,
      'NOT_A_MEMBER',
    );
    const priv = await newCommunity(s, s.owner, { visibility: 'private', guidelines: '1. Secret rule' });
    await fails(
      s.call('GET', `/communities/${priv}/guidelines`, undefined, stranger),
      404,
      'COMMUNITY_NOT_FOUND',
    );
    await fails(s.call('GET', `/communities/${priv}/guidelines/versions`), 404, 'COMMUNITY_NOT_FOUND');
    const mine = await must(s.call('GET', `/communities/${priv}/guidelines`, undefined, s.owner));
    expect(mine.body.rules).toEqual([{ number: 1, text: 'Secret rule' }]);
  });
});
