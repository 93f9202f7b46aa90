/**
 * Shapes of the hand-written demo content. Plain data: the planner turns it
 * into a time-ordered list of actions, the seeder replays them through the
 * services (see ../demo.ts).
 */
export interface DemoPerson {
  username: string;
  displayName: string;
  bio: string;
  interests: string[];
}

export interface DemoComment {
  by: string;
  body: string;
  replies?: DemoComment[];
}

export interface DemoThread {
  by: string;
  title: string;
  body: string;
  /** Tags besides the #tags written in the body. */
  tags?: string[];
  /** Pinned by the community's moderator shortly after it is posted. */
  pinned?: boolean;
  comments: DemoComment[];
}

export interface DemoCommunity {
  slug: string;
  name: string;
  description: string;
  visibility: 'public' | 'private';
  joinPolicy: 'open' | 'request' | 'invite';
  guidelines: string;
  owner: string;
  moderator: string;
  /** Active members besides the owner (the moderator included). */
  members: string[];
  /** Asked to join a request-only community; left waiting for a moderator. */
  pending?: string[];
  /** In the order they were posted; the first one opens the community. */
  threads: DemoThread[];
}
