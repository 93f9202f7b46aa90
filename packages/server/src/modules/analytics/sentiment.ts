import Sentiment from 'sentiment';

/**
 * Offline lexicon sentiment of contributions: the `sentiment` package (AFINN-165 word list,
 * with negation handling). `score` is the sum of word valences; `comparative` is score per
 * token, which is what we average so long posts do not dominate. Measured on the UCI
 * "Sentiment Labelled Sentences" (Kotzias et al., KDD 2015; 3,000 labelled sentences) by
 * `sentiment.test.ts`: see the module README for the figure.
 */
const analyzer = new Sentiment();

export interface Scored {
  score: number;
  comparative: number;
  /** 1 positive, -1 negative, 0 neutral (no scored words or they cancel out). */
  polarity: 1 | 0 | -1;
}

/** Markdown noise (links, code, mentions) carries no sentiment; strip it before scoring. */
function plain(text: string): string {
  return text
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/`[^`]*`/g, ' ')
    .replace(/\]\([^)]*\)/g, ']')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/[@#][\w-]+/g, ' ');
}

export function scoreText(text: string): Scored {
  const r = analyzer.analyze(plain(text).slice(0, 20_000));
  const comparative = Number.isFinite(r.comparative) ? r.comparative : 0;
  return { score: r.score, comparative, polarity: r.score > 0 ? 1 : r.score < 0 ? -1 : 0 };
}

/** The day-rollup counters one scored contribution adds. */
export const sentimentCounters = (s: Scored) => ({
  sentiment_n: 1,
  sentiment_sum: s.comparative,
  positive: s.polarity === 1 ? 1 : 0,
  negative: s.polarity === -1 ? 1 : 0,
});
