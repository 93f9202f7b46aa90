import path from 'node:path';
import { need, needDate, needInt, readRows, type XmlRow } from './se.xml.ts';

/** The attributes the import needs, checked before anything is written. */
const REQUIRED: Record<string, { ints: string[]; dates: string[]; strings?: string[] }> = {
  'Users.xml': { ints: ['Id'], dates: ['CreationDate'] },
  'Posts.xml': { ints: ['Id', 'PostTypeId'], dates: ['CreationDate'] },
  'Comments.xml': { ints: ['Id', 'PostId'], dates: ['CreationDate'] },
  'Votes.xml': { ints: ['Id', 'PostId', 'VoteTypeId'], dates: ['CreationDate'] },
  'Tags.xml': { ints: ['Id'], dates: [], strings: ['TagName'] },
  'Badges.xml': { ints: ['Id'], dates: [] },
};

function checkRow(file: string, row: XmlRow) {
  const r = REQUIRED[file]!;
  for (const a of r.ints) needInt(file, row, a);
  for (const a of r.dates) needDate(file, row, a);
  for (const a of r.strings ?? []) need(file, row, a);
  if (file === 'Posts.xml' && row.attrs.PostTypeId === '2') needInt(file, row, 'ParentId');
}

/**
 * Parses a dump file completely and checks every row's required attributes; throws
 * ImportFileError (file and line) at the first problem. Returns the number of rows.
 * Runs on the conversion workers, several files at once (see ConvertPool.check).
 */
export async function checkFile(
  file: string,
  root: string,
  onProgress?: (bytes: number, rows: number) => void,
): Promise<number> {
  const name = path.basename(file);
  let rows = 0;
  let bytes = 0;
  const r = REQUIRED[name]!;
  const keep = new Set([...r.ints, ...r.dates, ...(r.strings ?? []), 'PostTypeId', 'ParentId']);
  const onBytes = (n: number) => {
    bytes += n;
  };
  // Values the import does not need are checked (references, characters) but not decoded.
  for await (const list of readRows(file, root, 2000, onBytes, { keep })) {
    rows += list.length;
    for (const r of list) checkRow(name, r);
    onProgress?.(bytes, list.length);
    bytes = 0;
  }
  onProgress?.(bytes, 0);
  return rows;
}
