/** What is kept and for how long, in plain words (the consent prompt and settings show the same text). */
export function ConsentText({ retentionDays }: { retentionDays: number }) {
  return (
    <div className="consent-text">
      <p>
        <strong>Always counted:</strong> your threads, comments and reactions are public in their community,
        so they count in its statistics whatever you choose.
      </p>
      <p>
        <strong>If you allow it:</strong> the time you spend reading threads (only while the page is visible
        and you are active on it) and the days you visit are stored as yours. The detailed records are kept{' '}
        {retentionDays} days, then only daily, weekly and monthly totals. They count toward how active you
        look to a community's owners and moderators (engagement levels, members drifting away); nobody is
        shown what you read.
      </p>
      <p>
        <strong>If you do not:</strong> your reading is only added to anonymous totals under a code that
        changes every day and cannot be linked to you or to another day; no account id is stored with it.
      </p>
      <p>
        You can change this at any time in Settings. Turning it off removes the reading already stored as
        yours.
      </p>
    </div>
  );
}
