/**
 * Refits the spam score's weights: `npx tsx src/modules/moderation/spam.fit.ts` (from packages/server).
 * Trains on the even-numbered lines of the SMS Spam Collection only and reports precision and
 * recall on the odd-numbered lines plus the false-positive rate on the UCI labelled sentences
 * (all ham). Paste the printed weights into SPAM_WEIGHTS in spam.ts.
 */

import { loadSentences, loadSms, measure } from './spam.data.ts';
import { FEATURE_NAMES, spamFeatures, spamScore } from './spam.ts';

const sms = loadSms();
const sentences = loadSentences();
if (!sms || !sentences) {
  console.error('The shared data sets (../shared/data) are absent');
  process.exit(1);
}
const train = sms.filter((_, i) => i % 2 === 0);
const test = sms.filter((_, i) => i % 2 === 1);

const X = train.map((r) => {
  const f = spamFeatures(r.text);
  return [1, ...FEATURE_NAMES.map((n) => f[n])];
});
const y = train.map((r) => (r.spam ? 1 : 0));
const w = new Array(FEATURE_NAMES.length + 1).fill(0);
const lambda = 0.001;
const rate = 0.5;
for (let epoch = 0; epoch < 3000; epoch++) {
  const grad = new Array(w.length).fill(0);
  for (let i = 0; i < X.length; i++) {
    const x = X[i]!;
    const p = 1 / (1 + Math.exp(-x.reduce((s, v, j) => s + v * w[j], 0)));
    const err = p - y[i]!;
    for (let j = 0; j < w.length; j++) grad[j] += err * x[j]!;
  }
  for (let j = 0; j < w.length; j++) w[j] -= rate * (grad[j] / X.length + (j ? lambda * w[j] : 0));
}
const weights = w.map((v) => Math.round(v * 100) / 100);
console.log('weights', JSON.stringify(weights));
for (const t of [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) {
  const score = (s: string) => spamScore(s, weights);
  const tr = measure(train, score, t);
  const te = measure(test, score, t);
  const fp = sentences.filter((s) => score(s) >= t).length;
  console.log(
    `t=${t} train P=${tr.precision.toFixed(3)} R=${tr.recall.toFixed(3)} | test P=${te.precision.toFixed(3)} R=${te.recall.toFixed(3)} | sentences FP=${fp}/${sentences.length}`,
  );
}
