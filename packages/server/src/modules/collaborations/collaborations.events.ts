/** Events the collaborations module emits (ids only). */
declare module '../../platform/events.ts' {
  interface EventMap {
    'collaborations.partnership_proposed': {
      partnershipId: number;
      fromCommunityId: number;
      toCommunityId: number;
      by: number;
    };
    'collaborations.partnership_accepted': { partnershipId: number; communityIds: number[]; by: number };
    'collaborations.partnership_ended': { partnershipId: number; communityIds: number[]; by: number };
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
