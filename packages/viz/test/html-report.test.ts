import { expect } from 'chai';
import { EngramError, ErrorCodes } from '@engram/core';
import { escapeHtml, htmlReport, imageGridPng, linePlotSvg, pngDataUri } from '../src/index.js';
import { thrown } from './helpers/xml.js';

function code(fn: () => unknown): string {
  const err = thrown(fn);
  expect(err).to.be.instanceOf(EngramError);
  return (err as EngramError).code;
}

const evil = '<script>alert("x")</script>';

describe('htmlReport', () => {
  it('builds a self-contained page with text, plots, images and tables', () => {
    const svg = linePlotSvg({ series: [{ name: 'E', y: [3, 2, 1] }] });
    const png = imageGridPng({ images: [[0, 1, 1, 0]], imageWidth: 2, imageHeight: 2 });
    const html = htmlReport({
      title: 'Run',
      subtitle: 'engram demo',
      sections: [
        { heading: 'Energy', text: 'first paragraph\n\nsecond paragraph', svg },
        { heading: 'Recall', images: [{ src: pngDataUri(png), alt: 'grid', caption: 'stored vs recalled' }, { src: 'recall.png', alt: 'file' }] },
        { heading: 'Numbers', table: { columns: ['model', 'accuracy', 'ok'], rows: [['SDM', 0.912345, true], ['MLP', 0.2, null]] } },
      ],
    });
    expect(html.startsWith('<!DOCTYPE html>')).to.equal(true);
    expect(html).to.include('<p>first paragraph</p>');
    expect(html).to.include('<p>second paragraph</p>');
    expect(html).to.include(svg);
    expect(html).to.include('src="data:image/png;base64,');
    expect(html).to.include('src="recall.png"');
    expect(html).to.include('<figcaption>stored vs recalled</figcaption>');
    expect(html).to.include('<td class="num">0.9123</td>');
    expect(html).to.include('<td>true</td>');
    expect(html).to.include('<a href="#s3">Numbers</a>');
    expect(html).to.not.match(/<script/i);
    expect(html).to.not.match(/<link|@import|url\(http/i);
  });

  it('escapes <script> and quotes everywhere text goes', () => {
    const html = htmlReport({
      title: evil,
      subtitle: evil,
      sections: [
        {
          heading: evil,
          text: evil,
          images: [{ src: 'a.png" onerror="alert(1)', alt: evil, caption: evil }],
          table: { columns: [evil], rows: [[evil]] },
          code: evil,
        },
      ],
    });
    expect(html).to.not.match(/<script/i);
    expect(html).to.not.include('" onerror="');
    expect(html).to.include('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(escapeHtml(`a&b<c>"d'`)).to.equal('a&amp;b&lt;c&gt;&quot;d&#39;');
  });

  it('refuses unsafe SVG and image sources', () => {
    const section = (extra: object) => htmlReport({ title: 't', sections: [{ heading: 'h', ...extra }] });
    expect(code(() => section({ svg: `<svg>${evil}</svg>` }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(code(() => section({ svg: '<svg onload="alert(1)"></svg>' }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(code(() => section({ svg: '<div>not svg</div>' }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(code(() => section({ images: [{ src: 'javascript:alert(1)', alt: '' }] }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(code(() => section({ images: [{ src: 'data:text/html,<b>', alt: '' }] }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
    expect(code(() => section({ table: { columns: ['a', 'b'], rows: [[1]] } }))).to.equal(ErrorCodes.SHAPE_MISMATCH);
    expect(code(() => htmlReport({ title: 't', sections: undefined as unknown as [] }))).to.equal(ErrorCodes.INVALID_ARGUMENT);
  });
});
