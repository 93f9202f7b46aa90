import { describe, expect, it } from 'vitest';
import { decodeValue, ImportFileError, RowScanner } from './se.xml.ts';

/** Rows of `xml` fed in chunks of `size` characters (the stream's chunking must not matter). */
function scan(xml: string, size = xml.length || 1, opts?: ConstructorParameters<typeof RowScanner>[2]) {
  const s = new RowScanner('/dump/Votes.xml', 'votes', opts);
  for (let i = 0; i < xml.length; i += size) s.write(xml.slice(i, i + size));
  s.write('', true);
  return s.rows.map((r) => ({ ...r.attrs, line: r.line }));
}

const failure = (xml: string) => {
  try {
    scan(xml);
  } catch (err) {
    expect(err).toBeInstanceOf(ImportFileError);
    return (err as Error).message;
  }
  throw new Error('no error');
};

const DUMP = `\uFEFF<?xml version="1.0" encoding="utf-8"?>\r
<votes>\r
  <row Id="1" PostId="1" VoteTypeId="2" CreationDate="2010-08-25T00:00:00.000" />\r
  <!-- a comment with < and > -->\r
  <row Id="2" Text="a &lt;b&gt; &amp;amp; &quot;q&quot; &apos;s&apos; &#xA;&#233;&#x1F600; tab\there" />\r
  <row Id='3' Body="x > y" ></row>\r
</votes>`;

describe('RowScanner (the dump parser)', () => {
  it('reads rows with decoded values and their lines, whatever the chunk size', () => {
    const want = [
      { Id: '1', PostId: '1', VoteTypeId: '2', CreationDate: '2010-08-25T00:00:00.000', line: 3 },
      { Id: '2', Text: 'a <b> &amp; "q" \'s\' \né😀 tab here', line: 5 },
      { Id: '3', Body: 'x > y', line: 6 },
    ];
    for (const size of [DUMP.length, 1, 2, 3, 7, 64]) expect(scan(DUMP, size)).toEqual(want);
  });

  it('keeps only the attributes asked for, and raw values as they are in the file', () => {
    expect(scan(DUMP, 5, { keep: new Set(['Id']), raw: new Set(['Text']) })).toEqual([
      { Id: '1', line: 3 },
      {
        Id: '2',
        Text: 'a &lt;b&gt; &amp;amp; &quot;q&quot; &apos;s&apos; &#xA;&#233;&#x1F600; tab\there',
        line: 5,
      },
      { Id: '3', line: 6 },
    ]);
    expect(decodeValue('a &lt;b&gt; &amp;amp; &#xA;&#233; tab\there')).toBe('a <b> &amp; \né tab here');
  });

  it.each([
    [
      '<votes>\n<row Id="1">\n<row Id="2"/>\n</votes>',
      'line 2: <row> is not closed (found <row> inside it on line 3)',
    ],
    ['<votes>\n<row Id="1" Id="2"/></votes>', 'line 2: attribute Id appears twice'],
    ['<votes>\n\n<row A="a<b"/></votes>', 'line 3: malformed tag'],
    ['<votes><row A="1"B="2"/></votes>', 'line 1: malformed tag'],
    ['<votes>\n<row A="a & b"/></votes>', 'line 2: bad reference (a bare &) in A'],
    ['<votes><row A="&nbsp;"/></votes>', 'line 1: bad reference &nbsp; in A'],
    ['<votes><row A="&#0;"/></votes>', 'line 1: bad reference &#0; in A'],
    ['<votes><row A="\u0001"/></votes>', 'line 1: a character XML does not allow in A'],
    ['<votes>\n<row A="1"/>\nhello</votes>', 'line 3: unexpected text'],
    ['<votes/><votes/>', 'line 1: a second root element <votes>'],
    ['<posts/>', 'line 1: expected <votes>, found <posts>'],
    ['', 'line 1: no <votes> element'],
    ['<votes>\n<row A="1"/>\n', 'line 1: <votes> is not closed at the end of the file'],
    ['<votes><row A="1"/></Votes>', 'line 1: <votes> is not closed (found </Votes> on line 1)'],
    ['\n<?xml version="1.0"?><votes/>', 'line 2: the XML declaration must come first'],
    ['<!DOCTYPE votes><votes/>', 'line 1: DOCTYPE and CDATA sections are not expected'],
    ['<votes><!-- a -- b --></votes>', 'line 1: "--" inside a comment'],
    ['<votes><!-- open </votes>', 'line 1: unclosed comment'],
  ])('rejects %j naming file and line', (xml, message) => {
    expect(failure(xml)).toContain(`Votes.xml ${message}`);
  });

  it('normalises literal white space in values (XML 1.0, 3.3.3)', () => {
    expect(scan('<votes><row A="a\r\nb\tc\nd"/></votes>')).toEqual([{ A: 'a b c d', line: 1 }]);
  });
});
