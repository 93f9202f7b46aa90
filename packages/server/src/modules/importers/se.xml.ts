import fs from 'node:fs';
import path from 'node:path';

/** A malformed or unreadable dump file; the message names the file and the line. */
export class ImportFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${path.basename(file)} line ${line}: ${reason}`);
    this.name = 'ImportFileError';
  }
}

export interface XmlRow {
  attrs: Record<string, string>;
  /** 1-based line of the row in its file, for error messages. */
  line: number;
}

// XML 1.0 names (ASCII plus everything above U+00BF; the dumps use ASCII names only) and white space.
const NAME = '[A-Za-z_:\\u00C0-\\uFFFF][-A-Za-z0-9_.:\\u00B7\\u00C0-\\uFFFF]*';
const S = '[ \\t\\r\\n]';
const TAG_NAME = new RegExp(`<(${NAME})`, 'y');
const ATTR = new RegExp(`${S}+(${NAME})${S}*=${S}*(?:"([^"<]*)"|'([^'<]*)')`, 'y');
const TAG_END = new RegExp(`${S}*(/?)>`, 'y');
const END_TAG = new RegExp(`</(${NAME})${S}*>`, 'y');
const WHITESPACE = /[ \t\r\n]*/y;
// Characters XML 1.0 forbids anywhere in a document (section 2.2).
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const UNCOMMON_REFERENCE = /&(?!(?:lt|gt|amp|quot|apos|#xA|#xD|#x9);)/;
const legalChar = (c: number) =>
  c === 0x9 ||
  c === 0xa ||
  c === 0xd ||
  (c >= 0x20 && c <= 0xd7ff) ||
  (c >= 0xe000 && c <= 0xfffd) ||
  (c >= 0x10000 && c <= 0x10ffff);

/**
 * A strict streaming parser for the dump format, written for speed (the `sax` parser it replaces
 * took about as long per post as everything else the import does). It accepts well-formed XML
 * made of an optional declaration, comments and processing instructions, one root element, and
 * elements with attributes; it rejects, with file and line, anything not well-formed (unclosed or
 * mismatched tags, `<` or a bad reference in an attribute value, duplicate attributes, forbidden
 * characters, a second root) and what a dump never holds (text or elements inside a row, DOCTYPE,
 * CDATA). Attribute values are normalised and decoded as XML 1.0 says (3.3.3).
 *
 * Streaming: each read chunk is parsed up to its last `<`; a tag cannot contain `<`, so what
 * comes before is complete, and the rest waits for the next chunk. Memory stays bounded by one
 * chunk, one row and one batch, whatever the file size.
 */
export class RowScanner {
  private buf = '';
  private pos = 0;
  /** Characters of the file consumed before `buf` starts. */
  private base = 0;
  private line = 1;
  private linePos = 0;
  private stack: { name: string; line: number }[] = [];
  private sawRoot = false;
  private started = false;
  readonly rows: XmlRow[] = [];

  /**
   * `keep`: the attributes to decode and keep (default all); the others are checked only.
   * `raw`: attributes kept as they are in the file, checked but not decoded (decodeValue later,
   * on a worker: the import's long bodies).
   */
  constructor(
    private file: string,
    private rootName: string,
    private opts: { keep?: ReadonlySet<string>; raw?: ReadonlySet<string> } = {},
  ) {}

  private fail(line: number, message: string): never {
    throw new ImportFileError(this.file, line, message);
  }

  private lineAt(at: number): number {
    if (at <= this.linePos) return this.line;
    let i = this.buf.indexOf('\n', this.linePos);
    while (i !== -1 && i < at) {
      this.line++;
      i = this.buf.indexOf('\n', i + 1);
    }
    this.linePos = at;
    return this.line;
  }

  /** Parses `chunk` (and what was held back); `final` once the file is read. */
  write(chunk: string, final = false): void {
    if (!this.started) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1); // the dumps start with a BOM
    }
    this.buf = this.pos < this.buf.length ? this.buf.slice(this.pos) + chunk : chunk;
    this.base += this.pos;
    this.linePos -= this.pos;
    this.pos = 0;
    const buf = this.buf;
    const limit = final ? buf.length : buf.lastIndexOf('<');
    let pos = 0;
    while (pos < limit) {
      const lt = buf.indexOf('<', pos);
      const textEnd = lt === -1 || lt > limit ? limit : lt;
      if (textEnd > pos) {
        WHITESPACE.lastIndex = pos;
        WHITESPACE.test(buf);
        if (WHITESPACE.lastIndex < textEnd) {
          const where = this.lineAt(WHITESPACE.lastIndex);
          this.fail(
            where,
            this.stack.length
              ? 'unexpected text (rows hold only attributes)'
              : 'text outside the root element',
          );
        }
        pos = textEnd;
        continue;
      }
      const next = buf.charCodeAt(pos + 1);
      if (next === 0x3f /* ? */ || next === 0x21 /* ! */) {
        const end = this.special(pos, final);
        if (end < 0) break; // incomplete: wait for the next chunk
        pos = end;
      } else if (next === 0x2f /* / */) {
        END_TAG.lastIndex = pos;
        const m = END_TAG.exec(buf);
        const line = this.lineAt(pos);
        if (!m) this.fail(line, 'malformed end tag');
        const open = this.stack.pop();
        if (!open) this.fail(line, `</${m[1]}> closes nothing`);
        if (open.name !== m[1])
          this.fail(open.line, `<${open.name}> is not closed (found </${m[1]}> on line ${line})`);
        pos = END_TAG.lastIndex;
      } else {
        pos = this.startTag(pos, this.lineAt(pos));
      }
    }
    this.lineAt(pos); // the newlines before pos are counted before buf is cut there
    this.pos = pos;
    if (final) {
      const open = this.stack.pop();
      if (open) this.fail(open.line, `<${open.name}> is not closed at the end of the file`);
      if (!this.sawRoot) this.fail(this.lineAt(buf.length), `no <${this.rootName}> element`);
    }
  }

  /** A start tag at `pos` (one pass over it); returns the position after it. */
  private startTag(pos: number, line: number): number {
    const buf = this.buf;
    TAG_NAME.lastIndex = pos;
    const n = TAG_NAME.exec(buf);
    if (!n) this.fail(line, 'malformed tag');
    const name = n[1]!;
    const depth = this.stack.length;
    if (depth === 0) {
      if (this.sawRoot) this.fail(line, `a second root element <${name}>`);
      if (name !== this.rootName) this.fail(line, `expected <${this.rootName}>, found <${name}>`);
      this.sawRoot = true;
    } else if (depth >= 2) {
      const row = this.stack[depth - 1]!;
      this.fail(row.line, `<${row.name}> is not closed (found <${name}> inside it on line ${line})`);
    }
    const { keep, raw } = this.opts;
    // A plain object: rows of one file share a shape, which keeps property access fast.
    const attrs: Record<string, string> = {};
    const names: string[] = [];
    let p = TAG_NAME.lastIndex;
    for (;;) {
      ATTR.lastIndex = p;
      const a = ATTR.exec(buf);
      if (!a) break;
      p = ATTR.lastIndex;
      const attr = a[1]!;
      if (names.includes(attr)) this.fail(line, `attribute ${attr} appears twice`);
      names.push(attr);
      let v = a[2] ?? a[3] ?? '';
      if (FORBIDDEN.test(v)) this.fail(line, `a character XML does not allow in ${attr}`);
      const amp = v.includes('&');
      if (raw?.has(attr) || (keep && !keep.has(attr))) {
        if (amp && UNCOMMON_REFERENCE.test(v)) this.decode(v, attr, line); // checks them
        if (raw?.has(attr)) attrs[attr] = v;
        continue;
      }
      // Literal whitespace in a value becomes a space; &#xA; stays a newline (XML 1.0, 3.3.3).
      if (/[\t\n\r]/.test(v)) v = v.replace(/\r\n|[\t\n\r]/g, ' ');
      if (amp) v = this.decode(v, attr, line);
      if (attr !== '__proto__') attrs[attr] = v;
    }
    TAG_END.lastIndex = p;
    const end = TAG_END.exec(buf);
    if (!end) this.fail(line, 'malformed tag (an unescaped < or quote in a value, or a missing quote or >)');
    if (depth === 1 && name === 'row') this.rows.push({ attrs, line });
    if (!end[1]) this.stack.push({ name, line });
    return TAG_END.lastIndex;
  }

  /** Entity and character references (only XML's five predefined entities: a dump has no DTD). */
  decode(v: string, attr: string, line: number): string {
    // Fast path, the common case: only the references SE writes. &amp; goes last, and no
    // replacement yields "&", so nothing is decoded twice.
    if (!UNCOMMON_REFERENCE.test(v))
      return v
        .replaceAll('&lt;', '<')
        .replaceAll('&gt;', '>')
        .replaceAll('&quot;', '"')
        .replaceAll('&#xA;', '\n')
        .replaceAll('&#xD;', '\r')
        .replaceAll('&#x9;', '\t')
        .replaceAll('&apos;', "'")
        .replaceAll('&amp;', '&');
    let out = '';
    let last = 0;
    for (let amp = v.indexOf('&'); amp !== -1; amp = v.indexOf('&', last)) {
      const semi = v.indexOf(';', amp + 1);
      const ref = semi === -1 || semi - amp > 9 ? '' : v.slice(amp + 1, semi);
      let ch: string;
      if (ref === 'lt') ch = '<';
      else if (ref === 'gt') ch = '>';
      else if (ref === 'amp') ch = '&';
      else if (ref === 'quot') ch = '"';
      else if (ref === 'apos') ch = "'";
      else {
        const code = /^#[0-9]{1,7}$/.test(ref)
          ? Number(ref.slice(1))
          : /^#x[0-9a-fA-F]{1,6}$/.test(ref)
            ? Number.parseInt(ref.slice(2), 16)
            : -1;
        if (!legalChar(code)) this.fail(line, `bad reference ${ref ? `&${ref};` : '(a bare &)'} in ${attr}`);
        ch = String.fromCodePoint(code);
      }
      out += v.slice(last, amp) + ch;
      last = semi + 1;
    }
    return out + v.slice(last);
  }

  /** `<?...?>` and `<!--...-->`; returns the position after it, or -1 when it is not complete yet. */
  private special(pos: number, final: boolean): number {
    const buf = this.buf;
    const comment = buf.startsWith('<!--', pos);
    if (buf.charCodeAt(pos + 1) === 0x21 && !comment) {
      if (!final && buf.length - pos < 9) return -1;
      this.fail(this.lineAt(pos), 'DOCTYPE and CDATA sections are not expected in a dump');
    }
    const close = comment ? '-->' : '?>';
    const end = buf.indexOf(close, pos + 2);
    if (end < 0) {
      if (final)
        this.fail(this.lineAt(pos), comment ? 'unclosed comment' : 'unclosed processing instruction');
      return -1;
    }
    const line = this.lineAt(pos);
    const body = buf.slice(pos + (comment ? 4 : 2), end);
    if (comment && body.includes('--')) this.fail(line, '"--" inside a comment');
    if (!comment && /^xml(\s|$)/i.test(body) && this.base + pos !== 0)
      this.fail(line, 'the XML declaration must come first');
    if (FORBIDDEN.test(body)) this.fail(line, 'a character XML does not allow');
    return end + close.length;
  }
}

/**
 * Decodes a value kept raw by RowScanner (`raw`), after the scanner checked it: literal white
 * space to spaces, then references.
 */
export function decodeValue(v: string): string {
  const w = /[\t\n\r]/.test(v) ? v.replace(/\r\n|[\t\n\r]/g, ' ') : v;
  return w.includes('&') ? new RowScanner('', '').decode(w, 'a value', 0) : w;
}

/**
 * Streams the `<row .../>` elements of a Stack Exchange dump file in batches (see RowScanner).
 * `onBytes` reports progress in bytes read. The root element must be `rootName` (posts, users...).
 */
export async function* readRows(
  file: string,
  rootName: string,
  batchSize: number,
  onBytes?: (n: number) => void,
  opts?: ConstructorParameters<typeof RowScanner>[2],
): AsyncGenerator<XmlRow[]> {
  let stream: fs.ReadStream;
  try {
    await fs.promises.access(file, fs.constants.R_OK);
    stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  } catch {
    throw new ImportFileError(file, 0, 'cannot read the file');
  }
  const scanner = new RowScanner(file, rootName, opts);
  const rows = scanner.rows;
  let read = 0;
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      scanner.write(chunk);
      onBytes?.(stream.bytesRead - read);
      read = stream.bytesRead;
      while (rows.length >= batchSize) yield rows.splice(0, batchSize);
    }
    scanner.write('', true);
  } finally {
    stream.destroy();
  }
  while (rows.length) yield rows.splice(0, batchSize);
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
