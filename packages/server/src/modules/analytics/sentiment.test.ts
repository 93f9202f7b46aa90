import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scoreText } from './sentiment.ts';

const DIR = path.resolve(__dirname, '../../../../../../shared/data/uci-sentiment-labelled-sentences');
const FILES = ['amazon_cells_labelled.txt', 'imdb_labelled.txt', 'yelp_labelled.txt'];
const has = fs.existsSync(path.join(DIR, FILES[0]!));
if (!has) console.warn(`SKIPPING the sentiment accuracy test: ${DIR} is absent`);

describe('sentiment scorer', () => {
  it('scores polarity and ignores markdown noise', () => {
    expect(scoreText('I love this, it is great').polarity).toBe(1);
    expect(scoreText('This is terrible and awful').polarity).toBe(-1);
    expect(scoreText('The meeting is on Tuesday').polarity).toBe(0);
    expect(scoreText('`bad code` see https://bad.example/awful @awful').polarity).toBe(0);
  });

  // Accuracy on the UCI "Sentiment Labelled Sentences" (Kotzias et al., KDD 2015): a sentence is
  // predicted positive when its AFINN score is > 0, negative otherwise (a 0 score counts as negative,
  // which is how a two-class label must be read). Measured 2026-12-01: 79.4 % on the 3,000 sentences
  // (amazon 80.7 %, imdb 77.5 %, yelp 80.0 %); 25 % of sentences score 0. The README records it.
  it.skipIf(!has)('is right on about four sentences in five of the labelled set', () => {
    const per: Record<string, number> = {};
    let right = 0;
    let total = 0;
    for (const f of FILES) {
      const lines = fs.readFileSync(path.join(DIR, f), 'utf8').split('\n');
      let ok = 0;
      let n = 0;
      for (const line of lines) {
        const m = /^(.*)\t([01])\s*$/.exec(line);
        if (!m) continue;
        n++;
        if ((scoreText(m[1]!).score > 0 ? 1 : 0) === Number(m[2])) ok++;
      }
      expect(n).toBe(1000);
      per[f] = ok / n;
      right += ok;
      total += n;
    }
    const accuracy = right / total;
    console.info(`sentiment accuracy on UCI labelled sentences: ${(accuracy * 100).toFixed(1)} %`, per);
    expect(accuracy).toBeGreaterThan(0.75);
    expect(accuracy).toBeLessThan(0.9);
  });
});
