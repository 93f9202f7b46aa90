/** Events the collaborations module emits (ids only). */
declare module '../../platform/events.ts' {
  interface EventMap {
    'collaborations.proposed': {
      collaborationId: number;
      fromCommunityId: number;
      toCommunityId: number;
      by: number;
    };
    'collaborations.accepted': { collaborationId: number; communityIds: number[]; by: number };
    'collaborations.ended': { collaborationId: number; communityIds: number[]; by: number };
    'collaborations.thread_crossposted': {
      threadId: number;
      communityId: number;
      originCommunityId: number;
      by: number;
    };
    'collaborations.event_cohosted': {
      eventId: number;
      communityId: number;
      hostCommunityId: number;
      by: number;
    };
  }
}
export {};
