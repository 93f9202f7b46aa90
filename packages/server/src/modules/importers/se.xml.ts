import fs from 'node:fs';
import path from 'node:path';
import sax from 'sax';

/** A malformed or unreadable dump file; the message names the file and the line. */
export class ImportFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${path.basename(file)} line ${line}: ${message}`);
    this.name = 'ImportFileError';
  }
}

export interface XmlRow {
  attrs: Record<string, string>;
  /** 1-based line of the row in its file, for error messages. */
  line: number;
}

/**
 * Streams the `<row .../>` elements of a Stack Exchange dump file in batches,
 * with a strict (well-formedness checking) sax parser: memory stays bounded by
 * one read chunk plus one batch, whatever the file size. `onBytes` reports
 * progress in bytes read. The root element must be `rootName` (posts, users...).
 */
export async function* readRows(
  file: string,
  rootName: string,
  batchSize: number,
  onBytes?: (n: number) => void,
): AsyncGenerator<XmlRow[]> {
  const parser = sax.parser(true, { trim: false, normalize: false, position: true });
  let pending: XmlRow[] = [];
  let failure: ImportFileError | null = null;
  let depth = 0;
  let sawRoot = false;
  parser.onerror = (err) => {
    // sax's message ends with "\nLine: n\nColumn: n\nChar: c"; keep the first line.
    failure ??= new ImportFileError(file, parser.line + 1, err.message.split('\n')[0] ?? 'malformed XML');
  };
  parser.onopentag = (node) => {
    depth++;
    if (depth === 1) {
      sawRoot = true;
      if (node.name !== rootName)
        failure ??= new ImportFileError(
          file,
          parser.line + 1,
          `expected <${rootName}>, found <${node.name}>`,
        );
      return;
    }
    if (depth === 2 && node.name === 'row') {
      pending.push({ attrs: node.attributes as Record<string, string>, line: parser.line + 1 });
    }
  };
  parser.onclosetag = () => {
    depth--;
  };
  let stream: fs.ReadStream;
  try {
    await fs.promises.access(file, fs.constants.R_OK);
    stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 });
  } catch {
    throw new ImportFileError(file, 0, 'cannot read the file');
  }
  let first = true;
  for await (const chunk of stream as AsyncIterable<string>) {
    // The dumps start with a UTF-8 byte order mark, which sax refuses before <?xml.
    const text = first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk;
    first = false;
    parser.write(text);
    onBytes?.(Buffer.byteLength(chunk));
    if (failure) {
      stream.destroy();
      throw failure;
    }
    while (pending.length >= batchSize) yield pending.splice(0, batchSize);
  }
  parser.close();
  if (failure) throw failure;
  if (!sawRoot) throw new ImportFileError(file, parser.line + 1, `no <${rootName}> element`);
  if (pending.length) {
    const rest = pending;
    pending = [];
    yield rest;
  }
}

/** A required attribute, or an error naming file, line and attribute. */
export function need(file: string, row: XmlRow, name: string): string {
  const v = row.attrs[name];
  if (v === undefined || v === '') throw new ImportFileError(file, row.line, `row without ${name}`);
  return v;
}

export function needInt(file: string, row: XmlRow, name: string): number {
  const v = need(file, row, name);
  if (!/^-?\d+$/.test(v)) throw new ImportFileError(file, row.line, `${name}="${v}" is not an integer`);
  return Number(v);
}

/** SE dates are UTC without a zone ("2010-08-25T19:50:51.187"). */
export function needDate(file: string, row: XmlRow, name: string): number {
  const v = need(file, row, name);
  const ms = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(v) ? v : `${v}Z`);
  if (!Number.isFinite(ms)) throw new ImportFileError(file, row.line, `${name}="${v}" is not a date`);
  return ms;
}
