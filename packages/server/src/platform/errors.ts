/**
 * The one catalogue of coded errors (DESIGN rule 8). Every error a client can
 * see is listed here with its HTTP status; the error handler in app.ts maps
 * them to `{ error: { code, message } }`.
 */
export const ERRORS = {
  VALIDATION_FAILED: 400,
  INVALID_CURSOR: 400,
  GUIDELINES_NOT_ACCEPTED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  CSRF_FAILED: 403,
  FORBIDDEN: 403,
  NOT_A_MEMBER: 403,
  NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  COMMUNITY_NOT_FOUND: 404,
  THREAD_NOT_FOUND: 404,
  COMMENT_NOT_FOUND: 404,
  TOKEN_NOT_FOUND: 404,
  REQUEST_NOT_FOUND: 404,
  ACCOUNT_UNAVAILABLE: 409,
  SLUG_TAKEN: 409,
  ALREADY_MEMBER: 409,
  ALREADY_REQUESTED: 409,
  JOIN_BY_INVITE_ONLY: 403,
  OWNER_CANNOT_LEAVE: 409,
  THREAD_LOCKED: 409,
  CONTENT_DELETED: 409,
  COMMENT_TOO_DEEP: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  LOGIN_THROTTLED: 429,
  RATE_LIMITED: 429,
  DATABASE_UNAVAILABLE: 503,
  INTERNAL: 500,
  // issue 6: moderation
  GUIDELINES_REACCEPT_REQUIRED: 403,
  MUTED: 403,
  BANNED: 403,
  SUSPENDED: 403,
  TRUST_LEVEL_TOO_LOW: 403,
  CONTENT_BLOCKED: 422,
  DUPLICATE_POST: 409,
  ALREADY_REPORTED: 409,
  ALREADY_APPEALED: 409,
  ALREADY_DECIDED: 409,
  ITEM_NOT_FOUND: 404,
  ACTION_NOT_FOUND: 404,
  APPEAL_NOT_FOUND: 404,
  NOTE_NOT_FOUND: 404,
  WATCHED_WORD_NOT_FOUND: 404,
  NOTE_EXISTS: 409,
  // issue 8: privacy
  PASSWORD_INCORRECT: 403,
  SOLE_OWNER: 409,
  // issue 9: partnerships
  BRAND_NOT_FOUND: 404,
  CAMPAIGN_NOT_FOUND: 404,
  CREATOR_NOT_FOUND: 404,
  DELIVERABLE_NOT_FOUND: 404,
  PAYOUT_NOT_FOUND: 404,
  LINK_NOT_FOUND: 404,
  SPONSORED_NOT_FOUND: 404,
  NOT_A_CREATOR: 403,
  SPONSORED_NOT_ALLOWED: 409,
  CAMPAIGN_NOT_APPROVED: 409,
  PARTNERSHIP_STATE: 409,
  PROMO_CODE_TAKEN: 409,
  SIGNATURE_INVALID: 401,
  SIGNATURE_STALE: 401,
  CONVERSION_REPLAYED: 409,
  // issue 10: events, polls, collaborations
  EVENT_NOT_FOUND: 404,
  EVENT_CANCELLED: 409,
  EVENT_OVER: 409,
  CALENDAR_TOKEN_NOT_FOUND: 404,
  POLL_NOT_FOUND: 404,
  POLL_CLOSED: 409,
  POLL_HAS_VOTES: 409,
  ALREADY_VOTED: 409,
  COLLABORATION_NOT_FOUND: 404,
  COLLABORATION_EXISTS: 409,
  NOT_PARTNERS: 409,
  ALREADY_CROSSPOSTED: 409,
  CROSSPOST_CONFIRMATION_REQUIRED: 400,
  // issue 5: realtime, notifications, direct messages, password reset
  UPGRADE_REQUIRED: 426,
  CONVERSATION_NOT_FOUND: 404,
  MESSAGE_NOT_FOUND: 404,
  NOTIFICATION_NOT_FOUND: 404,
  DM_NOT_ALLOWED: 403,
  BLOCKED: 403,
  INVALID_RESET_TOKEN: 400,
  INVALID_UNSUBSCRIBE_TOKEN: 400,
  // issue 7: gamification
  BADGE_NOT_FOUND: 404,
  BADGE_EXISTS: 409,
  BADGE_ALREADY_HELD: 409,
  BADGE_NOT_HELD: 409,
  BADGE_REQUIRED: 403,
  LEVEL_TOO_LOW: 403,
  REWARD_NOT_FOUND: 404,
  REWARD_UNAVAILABLE: 409,
  OUT_OF_STOCK: 409,
  INSUFFICIENT_POINTS: 409,
  REDEMPTION_LIMIT: 409,
} as const;

export type ErrorCode = keyof typeof ERRORS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly field?: string;
  readonly retryAfterSeconds?: number;

  constructor(code: ErrorCode, message: string, extra: { field?: string; retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = ERRORS[code];
    this.field = extra.field;
    this.retryAfterSeconds = extra.retryAfterSeconds;
  }
}

/** Throws an AppError; `fail('THREAD_LOCKED', 'This thread is locked')`. */
export function fail(
  code: ErrorCode,
  message: string,
  extra?: { field?: string; retryAfterSeconds?: number },
): never {
  throw new AppError(code, message, extra);
}

/** A 400 naming the field that is wrong. */
export function invalid(field: string, message: string): never {
  throw new AppError('VALIDATION_FAILED', `${field}: ${message}`, { field });
}
