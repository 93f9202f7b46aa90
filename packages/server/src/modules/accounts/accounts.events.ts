/** Events the accounts module emits. */
declare module '../../platform/events.ts' {
  interface EventMap {
    'accounts.user_signed_up': { userId: number; username: string };
    'accounts.profile_updated': { userId: number };
  }
}
export {};
