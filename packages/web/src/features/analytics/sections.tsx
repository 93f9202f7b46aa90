import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { formatDate } from '../../lib/format.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { CsvLink, SectionHead } from './AnalyticsPage.tsx';
import { analyticsApi, type PeriodQuery } from './api.ts';
import { minutes, pct, show } from './format.ts';

const deps = (slug: string, q: PeriodQuery) => [slug, q.period, q.end, q.buckets];

/** Weekly join cohorts × weeks since joining; darker = more of the cohort still active. */
export function RetentionSection({ slug, q }: { slug: string; q: PeriodQuery }) {
  const r = useAsync(() => analyticsApi.retention(slug, q), deps(slug, q));
  return (
    <section aria-labelledby="retention-h">
      <SectionHead id="retention-h" title="Retention by weekly cohort">
        <CsvLink slug={slug} table="retention" q={q} />
      </SectionHead>
      <p className="muted small">
        Members who joined in a week (rows), and the share of them active (a post, comment or reaction;
        reading with consent) each week after joining (columns, week 0 = the join week).
      </p>
      <ErrorMessage error={r.error} />
      {!r.data ? (
        <Loading lines={4} height="16rem" />
      ) : (
        <div className="table-wrap">
          <table className="data cohort">
            <thead>
              <tr>
                <th scope="col">Cohort</th>
                <th scope="col">Size</th>
                {Array.from({ length: r.data.weeks }, (_, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: fixed columns
                  <th key={i} scope="col">
                    w{i}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {r.data.cohorts.map((c) => (
                <tr key={c.cohort}>
                  <th scope="row">{c.cohort}</th>
                  <td>{show(c.size)}</td>
                  {c.rates.map((rate, i) => (
                    <td
                      // biome-ignore lint/suspicious/noArrayIndexKey: week offsets
                      key={i}
                      className="heat"
                      style={{ ['--heat' as string]: rate == null ? 0 : rate }}
                      title={
                        rate == null ? 'suppressed: fewer than 5 members' : `${show(c.retained[i])} members`
                      }
                    >
                      {rate == null ? '·' : pct(rate)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Top content by depth: reading time, then distinct repliers; never by views. */
export function TopThreadsSection({ slug, q }: { slug: string; q: PeriodQuery }) {
  const r = useAsync(() => analyticsApi.content(slug, q), deps(slug, q));
  return (
    <section aria-labelledby="top-h">
      <SectionHead id="top-h" title="Deepest threads">
        <CsvLink slug={slug} table="top-threads" q={q} />
      </SectionHead>
      <ErrorMessage error={r.error} />
      {!r.data ? (
        <Loading lines={4} height="12rem" />
      ) : r.data.threads.length === 0 ? (
        <p className="muted">No thread was read or answered in this period.</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Thread</th>
                <th scope="col">Read time</th>
                <th scope="col">Distinct repliers</th>
                <th scope="col">Replies</th>
                <th scope="col">Comments in period</th>
              </tr>
            </thead>
            <tbody>
              {r.data.threads.map((t) => (
                <tr key={t.id}>
                  <td>
                    <a href={`/c/${slug}/t/${t.id}`}>{t.title}</a>
                  </td>
                  <td>{minutes(t.readMinutes)}</td>
                  <td>{t.distinctRepliers}</td>
                  <td>{t.replies}</td>
                  <td>{t.commentsInPeriod}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const person = (p: { username: string; displayName: string }) => (
  <a href={`/u/${p.username}`}>{p.displayName}</a>
);

/** Engagement levels, champions, members drifting away, newcomers nobody answered. */
export function MembersSection({ slug, q }: { slug: string; q: PeriodQuery }) {
  const r = useAsync(() => analyticsApi.members(slug, q), deps(slug, q));
  const m = r.data;
  return (
    <section aria-labelledby="members-h">
      <SectionHead id="members-h" title="Members" />
      <ErrorMessage error={r.error} />
      {!m ? (
        <Loading lines={6} height="20rem" />
      ) : (
        <>
          <p className="muted small">
            The 13 weeks from {m.window.start} to {m.window.end}.
          </p>
          <div className="members-grid">
            <div>
              <SectionHead id="levels-h" title="Engagement levels">
                <CsvLink slug={slug} table="levels" q={q} />
              </SectionHead>
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">Level</th>
                    <th scope="col">Members</th>
                  </tr>
                </thead>
                <tbody>
                  {m.levels.map((l) => (
                    <tr key={l.level}>
                      <th scope="row">
                        {l.level} · {l.name}
                      </th>
                      <td>{show(l.members)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <PeopleTable
              id="champions-h"
              title="Champions"
              hint="Whose posts draw replies from the most different members."
              csv={<CsvLink slug={slug} table="champions" q={q} />}
              rows={m.champions.map((c) => [
                c.username,
                person(c),
                `${c.distinctRepliers} members, ${c.replies} replies`,
              ])}
            />
            <PeopleTable
              id="risk-h"
              title="Drifting away"
              hint={`Active in ${m.settings.minActiveWeeks}+ of ${m.settings.lookbackWeeks} weeks, then quiet for ${m.settings.quietWeeks}.`}
              csv={<CsvLink slug={slug} table="at-risk" q={q} />}
              rows={m.atRisk.map((a) => [a.username, person(a), `last active week of ${a.lastActiveWeek}`])}
            />
            <PeopleTable
              id="newcomers-h"
              title="Newcomers without a reply"
              hint={`Joined in the last ${m.settings.newcomerDays} days, posted, and nobody answered yet.`}
              csv={<CsvLink slug={slug} table="newcomers" q={q} />}
              rows={m.newcomersWithoutReply.map((n) => [
                n.username,
                person(n),
                `joined ${formatDate(n.joinedAt)}`,
              ])}
            />
          </div>
        </>
      )}
    </section>
  );
}

function PeopleTable({
  id,
  title,
  hint,
  csv,
  rows,
}: {
  id: string;
  title: string;
  hint: string;
  csv: React.ReactNode;
  rows: [string, React.ReactNode, string][];
}) {
  return (
    <div>
      <SectionHead id={id} title={title}>
        {csv}
      </SectionHead>
      <p className="muted small">{hint}</p>
      {rows.length === 0 ? (
        <p className="muted">Nobody.</p>
      ) : (
        <ul className="list">
          {rows.map(([key, who, what]) => (
            <li key={key} className="list-row">
              <span className="grow">{who}</span>
              <span className="muted small">{what}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
