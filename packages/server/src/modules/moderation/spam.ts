/**
 * A spam score from content features (no word list learned from the data, so it carries over
 * from SMS to forum posts): links, phone numbers and short codes, money, shouting, a small
 * lexicon of promotional wording, and the shape of the text. The features are combined by
 * logistic regression; the weights below were fitted by `spam.fit.ts` on the even-numbered
 * lines of the SMS Spam Collection (Almeida & Gómez Hidalgo, DocEng 2011) and are measured on
 * the odd-numbered lines, which the fit never saw (spam.test.ts; numbers in README.md).
 */

export const FEATURE_NAMES = [
  'links',
  'phone',
  'shortCode',
  'money',
  'promo',
  'prizeTalk',
  'callToAction',
  'caps',
  'exclaim',
  'digits',
  'length',
  'smsSpeak',
  'capsWords',
] as const;
export type SpamFeatures = Record<(typeof FEATURE_NAMES)[number], number>;

const URL =
  /\bhttps?:\/\/\S+|\bwww\.\S+|\b[a-z0-9-]{2,}\.(?:com|net|org|biz|info|co\.uk|co|io|tv|xyz|ru)\b/gi;
// 7+ digits, spaces or dashes allowed between groups (0800 542 0825, 08718726978).
const PHONE = /(?:\+?\d[\d -]{5,}\d)/g;
// "txt MUSIC to 87066", "text STOP to 80082", "send GO to 69988", "reply YES"
const SHORT_CODE = /\b(?:txt|text|send|sms|reply)\b[^.!?\n]{0,30}?\b(?:to|on)\s*:?\s*\d{4,6}\b/i;
// "reply STOP", "txt MUSIC": a command word in capitals after a messaging verb.
const KEYWORD_REPLY = /\b(?:txt|text|send|reply|rply)\s+"?[A-Z]{2,}\b/;
// Words of 3+ letters in capitals ("FREE", "WON", "CALL"); the pronoun I and short acronyms do not count.
const CAPS_WORD = /\b[A-Z]{3,}\b/g;
const MONEY =
  /[£$€]\s?\d|\d\s?(?:p|ppm|pence|gbp|usd|eur)\b|\b\d+p\/(?:min|msg|wk)|\b(?:cash|prize|reward|bonus|voucher)s?\b/gi;
const PROMO =
  /\b(?:free|freemsg|win|wins|winner|won|claim|guaranteed|urgent|congrat\w*|award\w*|offer|discount|deal|subscribe\w*|unsubscribe|opt[- ]?out|ringtone\w*|tones?|entry|draw|selected|customer|limited|exclusive|promo\w*|credit|loan|casino|bitcoin|crypto|viagra|earn|income|investment|profit)\b/gi;
const PRIZE_TALK =
  /\byou (?:have|'ve|ve) (?:won|been (?:selected|chosen))|\bu have won|\bto claim\b|\bcall now\b|\bact now\b|\bclick (?:here|the link|below)\b|\bt ?& ?c'?s?\b|\bstd (?:txt|chgs)\b|\b18\+/i;
const CALL_TO_ACTION = /\b(?:call|click|visit|txt|text|reply|send|dial|order|buy|join|apply|register)\b/gi;
// SMS shorthand that normal prose rarely uses, weighted low: "ur", "2 claim", "4 more".
const SMS_SPEAK = /\b(?:ur|u r|txt|msg|mob|wkly|tkts?|2 claim|4 more|pls|plz)\b/gi;

const count = (re: RegExp, s: string) => s.match(re)?.length ?? 0;

/** Feature values, each roughly in [0, 1], from a title and body (or one text). */
export function spamFeatures(text: string): SpamFeatures {
  const letters = text.replace(/[^A-Za-z]/g, '');
  const upper = text.replace(/[^A-Z]/g, '').length;
  const digits = text.replace(/\D/g, '').length;
  const nonSpace = text.replace(/\s/g, '').length || 1;
  return {
    links: Math.min(count(URL, text), 3) / 3,
    phone: Math.min(count(PHONE, text), 2) / 2,
    shortCode: SHORT_CODE.test(text) || KEYWORD_REPLY.test(text) ? 1 : 0,
    money: Math.min(count(MONEY, text), 3) / 3,
    promo: Math.min(count(PROMO, text), 4) / 4,
    prizeTalk: PRIZE_TALK.test(text) ? 1 : 0,
    callToAction: Math.min(count(CALL_TO_ACTION, text), 3) / 3,
    // Shouting only counts in texts long enough for the ratio to mean something.
    caps: letters.length >= 12 ? upper / letters.length : 0,
    exclaim: Math.min(count(/!/g, text), 4) / 4,
    digits: digits / nonSpace,
    length: Math.min(text.length, 400) / 400,
    smsSpeak: Math.min(count(SMS_SPEAK, text), 3) / 3,
    capsWords: Math.min(count(CAPS_WORD, text), 4) / 4,
  };
}

/**
 * Logistic-regression weights (bias first, then FEATURE_NAMES order), fitted by
 * `npx tsx src/modules/moderation/spam.fit.ts` (L2 = 0.001, 3000 epochs of full-batch
 * gradient descent, even lines of SMSSpamCollection only).
 */
export const SPAM_WEIGHTS: readonly number[] = [
  -4.23, 1.71, 4.07, 1.96, 2.42, 3.06, 1.03, 3.12, -0.19, 1.3, 2.01, 1.27, 0.47, 1.79,
];

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Probability-like spam score in [0, 1]. */
export function spamScore(text: string, weights: readonly number[] = SPAM_WEIGHTS): number {
  const f = spamFeatures(text);
  let z = weights[0]!;
  FEATURE_NAMES.forEach((name, i) => {
    z += weights[i + 1]! * f[name];
  });
  return sigmoid(z);
}

/** Default thresholds (per community settings override them): see README for how they were chosen. */
export const SPAM_HOLD_THRESHOLD = 0.6;
export const SPAM_FLAG_THRESHOLD = 0.4;
