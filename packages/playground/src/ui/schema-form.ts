/**
 * A form generated from a config's JSON Schema (from the kind's zod schema):
 * numbers, integers, booleans, enums and strings as inputs, nested objects as
 * fieldsets, anything else (arrays, unions) as a JSON text field. Values start
 * at the kind's example, then its defaults.
 */
import { el } from './dom.js';

type Json = Record<string, unknown>;

/** A form and how to read it back as a config object. */
export interface SchemaForm {
  element: HTMLElement;
  value(): Json;
}

function field(name: string, schema: Json, value: unknown, path: string): { node: HTMLElement; read: () => unknown } {
  const desc = String(schema['description'] ?? '');
  const label = el('label', { title: desc, for: path }, name);
  const type = schema['type'];
  const props = schema['properties'] as Record<string, Json> | undefined;
  if (type === 'object' && props) {
    const sub = form(schema, (value ?? {}) as Json, path);
    const set = el('fieldset', {}, el('legend', { text: name }), sub.element);
    return { node: set, read: () => sub.value() };
  }
  if (Array.isArray(schema['enum'])) {
    const select = el('select', { id: path, name: path });
    for (const v of schema['enum'] as unknown[]) select.append(el('option', { value: String(v), selected: v === value }, String(v)));
    return { node: el('div', { class: 'field' }, label, select), read: () => select.value };
  }
  if (type === 'boolean') {
    const input = el('input', { id: path, type: 'checkbox', checked: value === true });
    return { node: el('div', { class: 'field' }, label, input), read: () => input.checked };
  }
  if (type === 'number' || type === 'integer') {
    const input = el('input', { id: path, type: 'number', step: type === 'integer' ? 1 : 'any', value: value === undefined ? '' : String(value) });
    return {
      node: el('div', { class: 'field' }, label, input),
      read: () => (input.value.trim() === '' ? undefined : Number(input.value)),
    };
  }
  if (type === 'string') {
    const input = el('input', { id: path, type: 'text', value: value === undefined ? '' : String(value) });
    return { node: el('div', { class: 'field' }, label, input), read: () => (input.value === '' ? undefined : input.value) };
  }
  const input = el('input', { id: path, type: 'text', class: 'json', value: value === undefined ? '' : JSON.stringify(value) });
  return {
    node: el('div', { class: 'field' }, label, input),
    read: () => {
      if (input.value.trim() === '') return undefined;
      try {
        return JSON.parse(input.value) as unknown;
      } catch {
        return input.value;
      }
    },
  };
}

/** The form of an object schema, starting at `values` (then the schema's defaults). */
export function form(schema: Json, values: Json, path = 'config'): SchemaForm {
  const props = (schema['properties'] ?? {}) as Record<string, Json>;
  const root = el('div', { class: 'form' });
  const readers: [string, () => unknown][] = [];
  for (const [name, s] of Object.entries(props)) {
    const f = field(name, s, values[name] ?? s['default'], `${path}.${name}`);
    root.append(f.node);
    readers.push([name, f.read]);
  }
  return {
    element: root,
    value: () => {
      const out: Json = {};
      for (const [k, read] of readers) {
        const v = read();
        if (v !== undefined) out[k] = v;
      }
      return out;
    },
  };
}
