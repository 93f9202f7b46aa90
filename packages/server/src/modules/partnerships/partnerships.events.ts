/**
 * Events the partnerships module emits (through the outbox). Notifications and analytics
 * may consume them; nothing in this module depends on who listens.
 */
declare module '../../platform/events.ts' {
  interface EventMap {
    'partnerships.campaign_requested': {
      campaignId: number;
      brandId: number;
      communityId: number;
      requestedBy: number;
    };
    'partnerships.campaign_decided': {
      campaignId: number;
      brandId: number;
      communityId: number;
      decision: 'approved' | 'rejected';
      decidedBy: number;
    };
    'partnerships.creator_status_changed': {
      campaignId: number;
      brandId: number;
      userId: number;
      status: 'invited' | 'applied' | 'accepted' | 'declined';
      by: number;
    };
    'partnerships.deliverable_changed': {
      deliverableId: number;
      campaignId: number;
      creatorId: number;
      status: 'in_review' | 'changes_requested' | 'approved';
      by: number;
    };
    'partnerships.content_published': {
      deliverableId: number;
      campaignId: number;
      brandId: number;
      communityId: number;
      creatorId: number;
      targetType: 'thread' | 'comment';
      targetId: number;
    };
    'partnerships.label_removed': {
      targetType: 'thread' | 'comment';
      targetId: number;
      campaignId: number;
      by: number;
    };
    'partnerships.conversion_recorded': {
      conversionId: number;
      brandId: number;
      amountCents: number;
      touches: number;
    };
  }
}

export {};
