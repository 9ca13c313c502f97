/**
 * A self-contained HTML report (one file, inline CSS, no scripts) gathering an
 * experiment's plots, image grids and tables. All text is HTML-escaped.
 */
import { errors } from '@engram/core';

/** An image in a report section. */
export interface ReportImage {
  /** Relative path (e.g. 'recall.png') or a `data:image/...` URI (see `pngDataUri`) for a file that stands alone. */
  src: string;
  alt: string;
  caption?: string;
}

/** A table: header cells and rows of the same length. Numbers are shown with 4 significant digits. */
export interface ReportTable {
  columns: readonly string[];
  rows: readonly (readonly (string | number | boolean | null)[])[];
}

/** One section: a heading, then in this order text, SVG plots, images, table, preformatted text. */
export interface ReportSection {
  heading: string;
  /** Plain text; blank lines separate paragraphs. Escaped, never parsed as HTML. */
  text?: string;
  /**
   * SVG markup (from linePlotSvg, heatmapSvg, ...), inlined as is. It must be an
   * `<svg>` element without scripts or event handlers, otherwise the report refuses it.
   */
  svg?: string | readonly string[];
  images?: readonly ReportImage[];
  table?: ReportTable;
  /** Preformatted text (logs, configs), escaped. */
  code?: string;
}

/** Input of {@link htmlReport}. */
export interface HtmlReportOptions {
  title: string;
  /** A line under the title (e.g. the command and date); escaped. */
  subtitle?: string;
  sections: readonly ReportSection[];
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const CSS = `
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1d1d1f;
  background: #fafafa; margin: 0; }
main { max-width: 980px; margin: 0 auto; padding: 24px 28px 64px; background: #fff; min-height: 100vh;
  box-shadow: 0 0 0 1px #eee; }
h1 { font-size: 26px; margin: 8px 0 4px; }
.subtitle { color: #666; margin: 0 0 16px; }
nav ol { margin: 0 0 8px; padding-left: 20px; color: #555; }
nav a { color: #2a5db0; text-decoration: none; }
section { border-top: 1px solid #eee; padding-top: 8px; margin-top: 24px; }
h2 { font-size: 19px; margin: 8px 0; }
p { margin: 8px 0; max-width: 72ch; }
.plots, .images { display: flex; flex-wrap: wrap; gap: 16px; margin: 12px 0; align-items: flex-start; }
.plots svg { max-width: 100%; height: auto; border: 1px solid #eee; }
figure { margin: 0; }
figure img { max-width: 100%; image-rendering: pixelated; border: 1px solid #ddd; display: block; }
figcaption { font-size: 13px; color: #555; margin-top: 4px; max-width: 60ch; }
table { border-collapse: collapse; margin: 12px 0; font-size: 14px; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #e5e5e5; padding: 4px 12px; text-align: left; }
th { background: #f4f4f4; font-weight: 600; }
tr:nth-child(even) td { background: #fcfcfc; }
td.num { text-align: right; }
pre { background: #f6f8fa; padding: 10px 12px; overflow-x: auto; font-size: 13px; border-radius: 4px; }
`;

/** Refuses SVG that could run code when inlined (it is trusted markup, so check it). */
function checkSvg(svg: unknown, where: string): string {
  if (typeof svg !== 'string') throw errors.invalidArgument(where, 'an SVG string', typeof svg);
  const s = svg.replace(/^\s*<\?xml[^>]*\?>\s*/, '').trim();
  if (!/^<svg[\s>]/i.test(s) || !/<\/svg>$/i.test(s)) {
    throw errors.invalidArgument(where, 'one <svg>...</svg> element (from linePlotSvg, heatmapSvg, ...)', s.slice(0, 40));
  }
  if (/<script|<foreignObject|\son[a-z]+\s*=|javascript:/i.test(s)) {
    throw errors.invalidArgument(where, 'SVG without scripts, event handlers, foreignObject or javascript: links', 'unsafe SVG');
  }
  return s;
}

/** Allows relative paths, http(s) and data:image URIs; refuses script URLs. */
function checkSrc(src: unknown, where: string): string {
  if (typeof src !== 'string' || src.trim() === '') throw errors.invalidArgument(where, 'a non-empty path or data URI', src);
  const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(src)?.[1]?.toLowerCase();
  const ok = scheme === undefined || scheme === 'http' || scheme === 'https' || (scheme === 'data' && /^\s*data:image\//i.test(src));
  if (!ok) throw errors.invalidArgument(where, 'a relative path, http(s) URL or data:image/... URI', src.slice(0, 40));
  return src;
}

function cell(v: string | number | boolean | null): { text: string; numeric: boolean } {
  if (v === null || v === undefined) return { text: '', numeric: false };
  if (typeof v === 'number') {
    const text = Number.isInteger(v) || !Number.isFinite(v) ? String(v) : String(Number(v.toPrecision(4)));
    return { text, numeric: true };
  }
  return { text: String(v), numeric: false };
}

function tableHtml(t: ReportTable, where: string): string {
  if (!Array.isArray(t.columns) || !Array.isArray(t.rows)) throw errors.invalidArgument(where, '{ columns: string[], rows: any[][] }', t);
  const head = t.columns.map((c) => `<th>${escapeHtml(String(c))}</th>`).join('');
  const body = t.rows
    .map((row, i) => {
      if (!Array.isArray(row) || row.length !== t.columns.length) {
        throw errors.shapeMismatch(`${where}.rows[${i}]`, [t.columns.length], [Array.isArray(row) ? row.length : -1]);
      }
      return '<tr>' + row.map((v) => {
        const c = cell(v);
        return `<td${c.numeric ? ' class="num"' : ''}>${escapeHtml(c.text)}</td>`;
      }).join('') + '</tr>';
    })
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function sectionHtml(s: ReportSection, i: number): string {
  const where = `sections[${i}]`;
  if (s === null || typeof s !== 'object' || typeof s.heading !== 'string') {
    throw errors.invalidArgument(where, 'an object with a heading string', s);
  }
  const out: string[] = [`<section id="s${i + 1}">`, `<h2>${escapeHtml(s.heading)}</h2>`];
  if (s.text !== undefined) {
    for (const para of String(s.text).split(/\n\s*\n/)) {
      if (para.trim()) out.push(`<p>${escapeHtml(para.trim())}</p>`);
    }
  }
  if (s.svg !== undefined) {
    const svgs = typeof s.svg === 'string' ? [s.svg] : s.svg;
    out.push(`<div class="plots">${svgs.map((g, k) => checkSvg(g, `${where}.svg[${k}]`)).join('\n')}</div>`);
  }
  if (s.images !== undefined && s.images.length > 0) {
    const figs = s.images.map((im, k) => {
      const src = checkSrc(im.src, `${where}.images[${k}].src`);
      const cap = im.caption ? `<figcaption>${escapeHtml(im.caption)}</figcaption>` : '';
      return `<figure><img src="${escapeHtml(src)}" alt="${escapeHtml(im.alt ?? '')}">${cap}</figure>`;
    });
    out.push(`<div class="images">${figs.join('\n')}</div>`);
  }
  if (s.table !== undefined) out.push(tableHtml(s.table, `${where}.table`));
  if (s.code !== undefined) out.push(`<pre>${escapeHtml(String(s.code))}</pre>`);
  out.push('</section>');
  return out.join('\n');
}

/**
 * Builds a self-contained HTML page: title, optional subtitle, a contents list when
 * there are 3+ sections, then each section. Text, captions, alt text and table cells
 * are escaped; SVG is inlined only after a safety check; image sources must be
 * relative paths, http(s) or data:image URIs. The output contains no scripts.
 *
 * @throws EngramError INVALID_ARGUMENT for a missing title or sections, unsafe SVG or
 *   image source; SHAPE_MISMATCH for a table row of the wrong length.
 */
export function htmlReport(opts: HtmlReportOptions): string {
  if (opts === null || typeof opts !== 'object' || typeof opts.title !== 'string') {
    throw errors.invalidArgument('title', 'a string', opts?.title);
  }
  if (!Array.isArray(opts.sections)) throw errors.invalidArgument('sections', 'an array of sections', opts.sections);
  const sections = opts.sections.map(sectionHtml);
  const nav =
    opts.sections.length >= 3
      ? `<nav><ol>${opts.sections.map((s, i) => `<li><a href="#s${i + 1}">${escapeHtml(s.heading)}</a></li>`).join('')}</ol></nav>`
      : '';
  const sub = opts.subtitle ? `<p class="subtitle">${escapeHtml(opts.subtitle)}</p>` : '';
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(opts.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body><main>',
    `<h1>${escapeHtml(opts.title)}</h1>`,
    sub,
    nav,
    ...sections,
    '</main></body>',
    '</html>',
    '',
  ].join('\n');
}
