/** Events the privacy module emits. */
declare module '../../platform/events.ts' {
  interface EventMap {
    /** A member changed their analytics consent; `granted: false` means forget their reading as theirs. */
    'privacy.consent_changed': { userId: number; granted: boolean };
  }
}
export {};
