/** Events the messaging module emits. */
declare module '../../platform/events.ts' {
  interface EventMap {
    /** `recipientIds`: members who get it (not the sender, not those who blocked the sender). */
    'messaging.message_sent': {
      messageId: number;
      conversationId: number;
      senderId: number;
      recipientIds: number[];
      /** The message as its recipients see it (they may all read it). */
      message: {
        id: number;
        conversationId: number;
        sender: { id: number; username: string; displayName: string };
        bodyHtml: string;
        createdAt: string;
      };
    };
    'messaging.user_blocked': { blockerId: number; blockedId: number };
    /** The member read the conversation up to its latest message. */
    'messaging.conversation_read': { userId: number; conversationId: number };
  }
}
export {};
