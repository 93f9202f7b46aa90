import { type FormEvent, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import type { Community } from '../../lib/api.ts';
import { useAction } from '../../lib/useAction.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { modApi, type ModerationSettings as Settings, type SettingsPatch } from './api.ts';
import { TestText, WatchedWords } from './WatchedWords.tsx';

/** Labels for the settings document's numbers (server: moderation/settings.ts, Discourse's defaults). */
const LABELS: Record<string, string> = {
  newMemberBelow: 'New members are those below trust level',
  maxLinksNewMember: 'Links per post',
  maxImagesNewMember: 'Images per post',
  maxMentionsNewMember: 'Mentions per post',
  postsPerHourNewMember: 'Posts per hour',
  directMessages: 'Direct messages from level',
  editWikiPosts: 'Edit wiki posts from level',
  writeContextNotes: 'Write context notes from level',
  rateContextNotes: 'Rate context notes from level',
  floodPerMinute: 'Posts per minute before refusing (anyone)',
  duplicateWindowHours: 'Refuse the same text again within (hours)',
  spamHoldThreshold: 'Hold spam scoring at least (0–1)',
  spamFlagThreshold: 'Flag spam scoring at least (0–1)',
  holdSpamBelowTrust: 'Hold spam from members below trust level',
  threadsEntered: 'Threads entered',
  postsRead: 'Posts read',
  minutesRead: 'Minutes reading',
  daysVisited: 'Days visited',
  likesGiven: 'Likes given',
  likesReceived: 'Likes received',
  repliesInThreads: 'Threads replied to',
  periodDays: 'Over the last (days)',
  threadsReadPercent: 'Of recent threads read (%)',
  threadsReadCap: '…capped at (threads)',
  postsReadPercent: 'Of recent posts read (%)',
  postsReadCap: '…capped at (posts)',
  threadsEnteredAllTime: 'Threads entered, all time',
  postsReadAllTime: 'Posts read, all time',
  likesReceivedDays: 'Likes received on distinct days',
  likesReceivedUsers: 'Likes received from distinct members',
  maxRemovedPosts: 'At most this many removed posts',
  graceDays: 'Kept at least (days) after promotion',
  keepRatio: 'Dropped below this share of the requirements (0–1)',
};
const NEW_MEMBER_KEYS = [
  'newMemberBelow',
  'maxLinksNewMember',
  'maxImagesNewMember',
  'maxMentionsNewMember',
  'postsPerHourNewMember',
];
const UNLOCK_KEYS = ['directMessages', 'editWikiPosts', 'writeContextNotes', 'rateContextNotes'];
const RATIOS = new Set(['spamHoldThreshold', 'spamFlagThreshold', 'keepRatio']);

/**
 * Moderation settings of a community for its moderators: watched words and the "test a
 * text" tool, new-member limits, automatic moderation, what trust levels unlock and what
 * they require, and whether the public log names moderators.
 */
export function ModerationSettings({ c }: { c: Community }) {
  const settings = useAsync(() => modApi.settings(c.slug), [c.slug]);
  return (
    <div className="stack">
      <WatchedWords slug={c.slug} />
      <TestText slug={c.slug} />
      <ErrorMessage error={settings.error} />
      {settings.loading && !settings.data ? (
        <Loading lines={6} height="20rem" />
      ) : (
        settings.data && <SettingsForm slug={c.slug} initial={settings.data} onSaved={settings.setData} />
      )}
      <NotesScoring slug={c.slug} />
    </div>
  );
}

type Group = 'unlocks' | 'automod' | 'tl1' | 'tl2' | 'tl3';

function SettingsForm({
  slug,
  initial,
  onSaved,
}: {
  slug: string;
  initial: Settings;
  onSaved: (s: Settings) => void;
}) {
  const [doc, setDoc] = useState<Settings>(initial);
  const [saved, setSaved] = useState(false);
  const values: Record<Group, Record<string, number>> = {
    unlocks: doc.unlocks,
    automod: doc.automod,
    tl1: doc.trust.tl1,
    tl2: doc.trust.tl2,
    tl3: doc.trust.tl3,
  };
  const setNum = (group: Group, key: string, raw: string) => {
    setSaved(false);
    const v = raw === '' ? Number.NaN : Number(raw);
    setDoc((d) => {
      if (group === 'unlocks' || group === 'automod') return { ...d, [group]: { ...d[group], [key]: v } };
      return { ...d, trust: { ...d.trust, [group]: { ...d.trust[group], [key]: v } } };
    });
  };
  /** Only what changed goes to the server (a PATCH merges it over the stored document). */
  const diff = (): SettingsPatch => {
    const p: SettingsPatch = {};
    const changed = (a: Record<string, number>, b: Record<string, number>) =>
      Object.fromEntries(Object.entries(a).filter(([k, v]) => v !== b[k]));
    if (doc.modlogShowModerators !== initial.modlogShowModerators)
      p.modlogShowModerators = doc.modlogShowModerators;
    for (const g of ['unlocks', 'automod'] as const) {
      const d = changed(doc[g], initial[g]);
      if (Object.keys(d).length) p[g] = d;
    }
    for (const g of ['tl1', 'tl2', 'tl3'] as const) {
      const d = changed(doc.trust[g], initial.trust[g]);
      if (Object.keys(d).length) p.trust = { ...p.trust, [g]: d };
    }
    return p;
  };
  const save = useAction(async () => {
    const next = await modApi.saveSettings(slug, diff());
    onSaved(next);
    setDoc(next);
    setSaved(true);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.run();
  };
  const field = (group: Group, key: string) => {
    const v = values[group][key];
    return (
      <label key={`${group}.${key}`}>
        {LABELS[key] ?? key}
        <input
          type="number"
          inputMode="decimal"
          min={0}
          step={RATIOS.has(key) ? 0.05 : 1}
          value={Number.isNaN(v) ? '' : (v ?? '')}
          onChange={(e) => setNum(group, key, e.target.value)}
        />
      </label>
    );
  };
  return (
    <form className="card form" onSubmit={submit} noValidate aria-labelledby="settings-h">
      <h2 id="settings-h">Rules for members</h2>
      <fieldset>
        <legend>Public moderation log</legend>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={doc.modlogShowModerators}
            onChange={(e) => {
              setSaved(false);
              setDoc((d) => ({ ...d, modlogShowModerators: e.target.checked }));
            }}
          />
          Show which moderator took each action (moderators always see it)
        </label>
      </fieldset>
      <fieldset>
        <legend>New members</legend>
        <p className="hint">Limits for members below the trust level set first.</p>
        <div className="form-grid">{NEW_MEMBER_KEYS.map((k) => field('unlocks', k))}</div>
      </fieldset>
      <fieldset>
        <legend>Automatic moderation</legend>
        <div className="form-grid">{Object.keys(doc.automod).map((k) => field('automod', k))}</div>
      </fieldset>
      <fieldset>
        <legend>What trust levels unlock</legend>
        <div className="form-grid">{UNLOCK_KEYS.map((k) => field('unlocks', k))}</div>
      </fieldset>
      {(['tl1', 'tl2', 'tl3'] as const).map((g, i) => (
        <fieldset key={g}>
          <legend>Trust level {i + 1} requires</legend>
          <div className="form-grid">{Object.keys(doc.trust[g]).map((k) => field(g, k))}</div>
        </fieldset>
      ))}
      <p className="hint">Trust level 4 is only given by an owner, on the member's page.</p>
      <ErrorMessage error={save.error} />
      <div className="row">
        <button type="submit" className="button" disabled={save.pending}>
          {save.pending ? 'Saving…' : 'Save settings'}
        </button>
        <output className="ok-text">{saved ? 'Saved.' : ''}</output>
      </div>
    </form>
  );
}

function NotesScoring({ slug }: { slug: string }) {
  const [result, setResult] = useState<string>('');
  const score = useAction(async () => {
    const r = await modApi.scoreNotes(slug);
    setResult(`Scored ${r.notes} notes from ${r.ratings} ratings; ${r.changed} changed status.`);
  });
  return (
    <section className="card" aria-labelledby="notes-score-h">
      <h2 id="notes-score-h">Context notes</h2>
      <p className="muted small">
        Notes are rescored every hour. A note is shown only when members who usually disagree both rate it
        helpful.
      </p>
      <div className="row">
        <button
          type="button"
          className="button button-secondary button-small"
          disabled={score.pending}
          onClick={() => score.run()}
        >
          Rescore now
        </button>
        <output className="ok-text">{result}</output>
      </div>
      <ErrorMessage error={score.error} />
    </section>
  );
}
