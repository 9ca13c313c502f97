import { encode, decode } from 'gpt-tokenizer/encoding/r50k_base';
import { brownSplit } from '../src/node/brown-files.ts';
import { BROWN_VOCABULARY } from '../src/models/gpt-config.ts';
import { SubwordTokenizer } from '../src/internal/subword-tokenizer.ts';
const { heldOut, train } = brownSplit();
let t = Date.now();
const full = new SubwordTokenizer(BROWN_VOCABULARY, 50256);
console.log('built', Date.now() - t, full.size);
let same = 0, n = 0;
for (const d of heldOut.slice(0, 10)) { const ours = full.decode(full.encode(d.text)); const theirs = encode(d.text).map((i) => decode([i])); const mine = [...full.encode(d.text)].map((i) => full.decode([i])); n++; if (JSON.stringify(mine) === JSON.stringify(theirs)) same++; else { for (let i = 0; i < mine.length; i++) if (mine[i] !== theirs[i]) { console.log('differs at', i, mine.slice(i - 2, i + 3), theirs.slice(i - 2, i + 3)); break; } } }
console.log('equal to gpt-tokenizer on', same, 'of', n);
const tk = new SubwordTokenizer(BROWN_VOCABULARY, 2048);
t = Date.now(); let chars = 0, toks = 0, ok = true;
for (const d of [...train, ...heldOut]) { const e = tk.encode(d.text); chars += d.text.length; toks += e.length; if (tk.decode(e) !== d.text) ok = false; }
console.log(tk.size, 'chars/token', (chars / toks).toFixed(3), 'tokens', toks, 'roundtrip', ok, Date.now() - t, 'ms');
