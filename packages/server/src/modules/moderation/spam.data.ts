import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared data sets, read from ../shared/data next to the repository (never copied into it). */
export const DATA_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../../../shared/data',
);

export interface Labelled {
  text: string;
  spam: boolean;
}

/** SMS Spam Collection v.1: "label<TAB>text" per line; null when the data set is absent. */
export function loadSms(): Labelled[] | null {
  const file = path.join(DATA_DIR, 'sms-spam-collection', 'SMSSpamCollection');
  if (!fs.existsSync(file)) return null;
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.includes('\t'))
    .map((l) => {
      const tab = l.indexOf('\t');
      return { spam: l.slice(0, tab) === 'spam', text: l.slice(tab + 1) };
    });
}

/** UCI labelled sentences (Kotzias et al., KDD 2015): review sentences, all ordinary prose (ham). */
export function loadSentences(): string[] | null {
  const dir = path.join(DATA_DIR, 'uci-sentiment-labelled-sentences');
  const files = ['amazon_cells_labelled.txt', 'imdb_labelled.txt', 'yelp_labelled.txt'];
  if (!files.every((f) => fs.existsSync(path.join(dir, f)))) return null;
  return files.flatMap((f) =>
    fs
      .readFileSync(path.join(dir, f), 'utf8')
      .split('\n')
      .map((l) => l.replace(/\t[01]\s*$/, '').trim())
      .filter(Boolean),
  );
}

export function measure(rows: Labelled[], score: (text: string) => number, threshold: number) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const r of rows) {
    const flagged = score(r.text) >= threshold;
    if (flagged && r.spam) tp++;
    else if (flagged) fp++;
    else if (r.spam) fn++;
  }
  return { tp, fp, fn, precision: tp / (tp + fp || 1), recall: tp / (tp + fn || 1) };
}
