/**
 * A small well-formedness check for the SVG/XML the package emits: every start
 * tag is closed in order, attributes are quoted, and no raw '<' or '&' appears
 * in text. Not a full XML parser, but strict enough to catch broken markup.
 */
export function checkWellFormed(xml: string): { tags: Map<string, number> } {
  const stack: string[] = [];
  const tags = new Map<string, number>();
  const tagRe = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    if (/&(?!(amp|lt|gt|quot|#39);)/.test(text)) throw new Error(`unescaped & in text near: ${text.slice(0, 40)}`);
    if (lt === -1) break;
    tagRe.lastIndex = lt;
    const m = tagRe.exec(xml);
    if (!m) throw new Error(`malformed tag at ${lt}: ${xml.slice(lt, lt + 60)}`);
    const [, close, name, , selfClose] = m as unknown as [string, string, string, string, string];
    if (close) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else {
      tags.set(name, (tags.get(name) ?? 0) + 1);
      if (!selfClose) stack.push(name);
    }
    i = tagRe.lastIndex;
  }
  if (stack.length) throw new Error(`unclosed tags: ${stack.join(', ')}`);
  return { tags };
}

/** Attribute maps of every `<element ...>` (optionally only those with class="cls"), in document order. */
export function elements(xml: string, element: string, cls?: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const m of xml.matchAll(new RegExp(`<${element}((?:\\s+[\\w:-]+="[^"]*")*)\\s*/?>`, 'g'))) {
    const a: Record<string, string> = {};
    for (const kv of (m[1] as string).matchAll(/([\w:-]+)="([^"]*)"/g)) a[kv[1] as string] = kv[2] as string;
    if (cls === undefined || a['class'] === cls) out.push(a);
  }
  return out;
}

/** All values of one attribute on one element name (present ones only), in document order. */
export function attrs(xml: string, element: string, attr: string, cls?: string): string[] {
  return elements(xml, element, cls).flatMap((a) => (a[attr] === undefined ? [] : [a[attr] as string]));
}

/** Points of every polyline as [x, y] pairs. */
export function polylines(svg: string): [number, number][][] {
  return attrs(svg, 'polyline', 'points').map((p) =>
    p.split(' ').map((xy) => xy.split(',').map(Number) as [number, number]),
  );
}

/** A `<text>` element: position, anchor, dy, and content with tspans flattened. */
export interface TextEl {
  x: number;
  y: number;
  anchor: string;
  dy: string;
  text: string;
}

/** Text elements in document order. */
export function texts(svg: string): TextEl[] {
  const out: TextEl[] = [];
  for (const m of svg.matchAll(/<text\b([^>]*)>(.*?)<\/text>/g)) {
    const a = m[1] as string;
    out.push({
      x: Number(/\sx="([^"]*)"/.exec(a)?.[1]),
      y: Number(/\sy="([^"]*)"/.exec(a)?.[1]),
      anchor: /\stext-anchor="([^"]*)"/.exec(a)?.[1] ?? 'start',
      dy: /\sdy="([^"]*)"/.exec(a)?.[1] ?? '',
      text: (m[2] as string).replace(/<[^>]+>/g, ''),
    });
  }
  return out;
}

/** Tick labels under the x axis (centred, hanging below the tick). */
export const xTickLabels = (svg: string): TextEl[] => texts(svg).filter((t) => t.anchor === 'middle' && t.dy === '0.8em');
/** Tick labels left of the y axis (right-aligned, vertically centred). */
export const yTickLabels = (svg: string): TextEl[] => texts(svg).filter((t) => t.anchor === 'end' && t.dy === '0.35em');

/** Runs fn and returns the error it throws (fails when it does not throw). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to throw');
}
