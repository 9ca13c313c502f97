/**
 * Reading the shipped data files as the authors' parser.py does: one sample
 * a line, fields separated by commas or else by white space, the class label
 * in the last field (any string; classes are numbered in order of first
 * appearance), everything else numeric features.
 */
import { EngramError, ErrorCodes } from '@engram/core';

/** Samples, labels and the class names in label order. */
export interface LabelledTable {
  n: number;
  d: number;
  data: Float64Array;
  labels: Int32Array;
  classNames: string[];
}

/** Parses a labelled text table (`source` names the file in errors). */
export function parseLabelledTable(text: string, source: string): LabelledTable {
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  const classes = new Map<string, number>();
  const rows: number[][] = [];
  const labels: number[] = [];
  lines.forEach((line, i) => {
    let fields = line.trim().split(',');
    if (fields.length === 1) fields = line.trim().split(/\s+/);
    const name = fields.pop()!.trim().replace(/^"|"$/g, '');
    const values = fields.map((f) => Number(f));
    if (values.some((v) => !Number.isFinite(v))) {
      throw new EngramError(ErrorCodes.CORRUPT_DATA, `${source} line ${i + 1} has a non-numeric feature: the file is damaged; restore it from the package`, { source, line: i + 1 });
    }
    if (rows.length > 0 && values.length !== rows[0]!.length) {
      throw new EngramError(ErrorCodes.CORRUPT_DATA, `${source} line ${i + 1} has ${values.length} features, line 1 has ${rows[0]!.length}: the file is damaged`, { source, line: i + 1 });
    }
    if (!classes.has(name)) classes.set(name, classes.size);
    rows.push(values);
    labels.push(classes.get(name)!);
  });
  if (rows.length === 0) throw new EngramError(ErrorCodes.CORRUPT_DATA, `${source} has no samples`, { source });
  const n = rows.length;
  const d = rows[0]!.length;
  const data = new Float64Array(n * d);
  rows.forEach((r, i) => data.set(r, i * d));
  return { n, d, data, labels: Int32Array.from(labels), classNames: [...classes.keys()] };
}
