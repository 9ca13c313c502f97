/**
 * Docs that run: every ```ts block of every README in the repository is
 * type-checked as a module against the built packages, and run when it is a
 * complete program (all of them, unless the README marks the block with
 * `<!-- snippet: no-run -->` on the line before it, e.g. a long experiment;
 * `<!-- snippet: skip -->` exempts a block that is not code to type-check).
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, '.cache', 'readme-snippets');

interface Snippet {
  readme: string;
  line: number;
  code: string;
  run: boolean;
  file: string;
}

function readmes(): string[] {
  const out = [join(root, 'README.md')];
  for (const group of ['packages', 'plugins', 'examples', 'bench']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    if (existsSync(join(dir, 'README.md'))) out.push(join(dir, 'README.md'));
    for (const name of readdirSync(dir)) {
      const p = join(dir, name, 'README.md');
      if (statSync(join(dir, name)).isDirectory() && existsSync(p)) out.push(p);
    }
  }
  return out;
}

function snippets(): Snippet[] {
  const all: Snippet[] = [];
  for (const readme of readmes()) {
    const lines = readFileSync(readme, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/^```(ts|typescript)\s*$/.test(lines[i]!.trim())) continue;
      const marker = lines[i - 1]?.trim() ?? '';
      const start = i + 1;
      let end = start;
      while (end < lines.length && lines[end]!.trim() !== '```') end++;
      if (marker !== '<!-- snippet: skip -->') {
        const id = `${relative(root, readme).replace(/[/\\]/g, '_').replace(/\.md$/, '')}_L${start}`;
        all.push({ readme: relative(root, readme), line: start, code: lines.slice(start, end).join('\n'), run: marker !== '<!-- snippet: no-run -->', file: `${id}.mts` });
      }
      i = end;
    }
  }
  return all;
}

describe('README snippets (docs that run)', function () {
  this.timeout(900000);
  const all = snippets();

  before(() => {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    for (const s of all) writeFileSync(join(work, s.file), `// ${s.readme}:${s.line}\n${s.code}\nexport {};\n`);
    writeFileSync(
      join(work, 'tsconfig.json'),
      JSON.stringify({
        extends: '../../tsconfig.base.json',
        compilerOptions: { noEmit: true, composite: false, declaration: false, declarationMap: false, noUnusedLocals: false, noUnusedParameters: false, rootDir: '.' },
        include: ['*.mts'],
      }),
    );
  });

  it('there are snippets, and every one type-checks against the built packages', () => {
    expect(all.length).to.be.greaterThan(10);
    const r = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(work, 'tsconfig.json')], { encoding: 'utf8' });
    const report = `${r.stdout}${r.stderr}`
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => {
        const m = /^([^(]+)\((\d+),\d+\): (.*)$/.exec(l.trim());
        if (!m) return l;
        const s = all.find((x) => m[1]!.endsWith(x.file));
        return s ? `${s.readme}:${s.line + Number(m[2]) - 2}: ${m[3]}` : l;
      });
    expect(report, report.join('\n')).to.deep.equal([]);
  });

  it('every complete snippet runs (exit 0)', () => {
    const failures: string[] = [];
    for (const s of all.filter((x) => x.run)) {
      const r = spawnSync(process.execPath, ['--import=tsx', join(work, s.file)], { cwd: work, encoding: 'utf8', timeout: 240000, env: { ...process.env, ENGRAM_QUIET: '1' } });
      if (r.status !== 0) failures.push(`${s.readme}:${s.line}: exit ${r.status}\n${(r.stderr || r.stdout).split('\n').slice(0, 6).join('\n')}`);
    }
    expect(failures, failures.join('\n\n')).to.deep.equal([]);
  });
});
