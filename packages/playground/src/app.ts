/**
 * The playground's page: pick a model kind (from the registry), set its config
 * through a form generated from its schema, pick data and a cue, run it live
 * with Start / Pause / Resume / Cancel, watch the energy (real axes), the
 * energy tree and the states, overlay and compare runs, save and load models.
 * One UI for both runners: the page itself, or the Node side of `engram serve`.
 */
import { deserializeModel, type Engram } from '@engram/core';
import type { DataChoice, KindInfo, Runner, RunEvent, RunHandle, RunRequest } from './protocol.js';
import { download, modelArtifacts, toBase64 } from './model-files.js';
import { byId, el } from './ui/dom.js';
import { drawStates, imagePixels } from './ui/images.js';
import { energyPlot, energyTree, runsTable, type RunRecord } from './ui/runs.js';
import { form, type SchemaForm } from './ui/schema-form.js';

/** What the page is given: its runners (the first is the default) and, for saving models in the page, an Engram. */
export interface AppOptions {
  runners: Runner[];
  engram?: Engram;
  /** A saved model (spec, base64 weights) the page starts with: the file `engram serve <spec.json>` was given. */
  preset?: NonNullable<RunRequest['model']>;
}

interface Loaded {
  spec: Record<string, unknown>;
  weights: string;
  kind: string;
  name: string;
}

/** Builds the page into `root`. */
export async function startApp(root: HTMLElement, options: AppOptions): Promise<void> {
  let runner = options.runners[0]!;
  let kinds: KindInfo[] = [];
  let configForm: SchemaForm | undefined;
  let runForm: SchemaForm | undefined;
  let handle: RunHandle | undefined;
  let live: RunRecord | undefined;
  // A served model is loaded as if the user had picked its files: the next run of its kind uses its weights.
  let loaded: Loaded | undefined = options.preset
    ? { spec: options.preset.spec, weights: options.preset.weights, kind: String(options.preset.spec['kind']), name: 'the model engram serve was started with' }
    : undefined;
  let upload: { pixels: number[]; width: number; height: number } | undefined;
  const runs: RunRecord[] = [];
  let nextId = 1;

  root.innerHTML = `
  <header><h1>engram playground</h1>
    <label>runner <select id="runner"></select></label>
    <span id="tensors" class="muted"></span></header>
  <div class="layout">
    <section class="panel" id="left">
      <h2>model</h2>
      <select id="kind"></select>
      <p id="kind-desc" class="muted"></p>
      <div id="config"></div>
      <div class="row"><button id="save">Save model</button>
        <label class="file">Load model <input id="load-spec" type="file" accept=".json"> <input id="load-weights" type="file" accept=".bin"></label></div>
      <p id="loaded" class="muted"></p>
      <h2>data</h2>
      <div class="field"><label for="data">source</label><select id="data">
        <option value="auto">Fashion-MNIST for image-sized layers, else random</option><option value="fashion-mnist">Fashion-MNIST (subset)</option><option value="binary">random ±1 patterns</option>
        <option value="gaussian">random normal patterns</option><option value="upload">an uploaded image</option><option value="none">none (a generated state)</option></select></div>
      <div class="field"><label for="count">samples</label><input id="count" type="number" value="16" min="1"></div>
      <div class="field"><label for="upload">image</label><input id="upload" type="file" accept="image/*"></div>
      <div class="field"><label for="store" title="fill the model's memory with the data (kinds with a memory face)">store as memories</label><input id="store" type="checkbox" checked></div>
      <div class="field"><label for="cue">cue</label><select id="cue"><option value="bottom-half">bottom half hidden (top clamped)</option><option value="noisy">noisy</option><option value="clean">clean</option></select></div>
      <div class="field"><label for="noise">noise</label><input id="noise" type="number" value="0.3" step="any"></div>
      <h2>run</h2>
      <div class="field"><label for="batch">batch</label><input id="batch" type="number" value="4" min="1"></div>
      <div class="field"><label for="steps">max steps</label><input id="steps" type="number" value="100" min="1"></div>
      <div class="field"><label for="dt">dt</label><input id="dt" type="number" step="any" placeholder="model default"></div>
      <div class="field"><label for="tolerance">tolerance</label><input id="tolerance" type="number" step="any" placeholder="0"></div>
      <div class="field"><label for="seed">seed</label><input id="seed" type="number" value="0"></div>
      <div id="run-extra"></div>
    </section>
    <section class="panel" id="right">
      <div class="row controls"><button id="start">Start</button><button id="pause" disabled>Pause</button><button id="resume" disabled>Resume</button><button id="cancel" disabled>Cancel</button>
        <span id="status">idle</span></div>
      <p id="message" class="message"></p>
      <div id="plot" data-points="0"></div>
      <div id="readout" class="mono">no run yet: press Start</div>
      <h3>energy tree</h3><div id="tree"></div>
      <h3>states</h3><div id="states"></div>
      <h3>runs</h3><div id="runs"></div>
    </section>
  </div>`;

  const $ = <T extends HTMLElement = HTMLElement>(id: string) => byId<T>(id);
  const kindSel = $<HTMLSelectElement>('kind');
  const setStatus = (status: string): void => {
    $('status').textContent = status;
    const active = status === 'running' || status === 'paused' || status === 'starting';
    $<HTMLButtonElement>('start').disabled = active;
    $<HTMLButtonElement>('pause').disabled = status !== 'running';
    $<HTMLButtonElement>('resume').disabled = status !== 'paused';
    $<HTMLButtonElement>('cancel').disabled = !active;
  };
  const message = (text: string, error = false): void => {
    const m = $('message');
    m.textContent = text;
    m.className = error ? 'message error' : 'message';
  };
  const refreshTensors = async (): Promise<void> => {
    $('tensors').textContent = `live tensors (${runner.where}): ${await runner.tensors()}`;
  };
  const redraw = (): void => {
    const plot = $('plot');
    plot.innerHTML = energyPlot(runs, live);
    plot.setAttribute('data-points', String(live?.steps.length ?? 0));
    const table = runsTable(runs, (r) => {
      r.compare = !r.compare;
      redraw();
    });
    $('runs').replaceChildren(table);
  };

  const showKind = (): void => {
    const k = kinds.find((x) => x.id === kindSel.value);
    if (!k) return;
    $('kind-desc').textContent = `${k.description} [${k.plugin}]${k.memory ? ' · memory' : ''}${k.trainable ? ' · trainable' : ''}`;
    configForm = form(k.schema, loaded && loaded.kind === k.id ? ((loaded.spec['config'] as Record<string, unknown>) ?? k.example) : k.example);
    $('config').replaceChildren(configForm.element);
    runForm = form(k.runSchema, {}, 'run');
    $('run-extra').replaceChildren(...(Object.keys((k.runSchema['properties'] as object) ?? {}).length ? [el('h3', { text: `${k.id} run options` }), runForm.element] : []));
  };

  const loadKinds = async (): Promise<void> => {
    kinds = await runner.kinds();
    kindSel.replaceChildren(...kinds.map((k) => el('option', { value: k.id, text: k.id })));
    const preferred = kinds.find((k) => k.id === loaded?.kind) ?? kinds.find((k) => k.id === 'hopfield/modern') ?? kinds[0];
    if (preferred) kindSel.value = preferred.id;
    showKind();
    if (loaded) $('loaded').textContent = `loaded ${loaded.name} (${loaded.kind}): the next run uses its weights`;
    await refreshTensors();
  };

  const runnerSel = $<HTMLSelectElement>('runner');
  runnerSel.replaceChildren(...options.runners.map((r, i) => el('option', { value: i, text: r.where })));
  runnerSel.addEventListener('change', () => {
    runner = options.runners[Number(runnerSel.value)]!;
    void loadKinds();
  });
  kindSel.addEventListener('change', showKind);
  $<HTMLInputElement>('upload').addEventListener('change', async (e) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (f) upload = await imagePixels(f);
  });

  const request = (): RunRequest => {
    const num = (id: string): number | undefined => {
      const v = $<HTMLInputElement>(id).value.trim();
      return v === '' ? undefined : Number(v);
    };
    const source = $<HTMLSelectElement>('data').value;
    const count = num('count') ?? 16;
    const seed = num('seed') ?? 0;
    let data: DataChoice;
    if (source === 'upload') {
      if (!upload) throw new Error('choose an image file first');
      data = { source: 'upload', ...upload };
    } else if (source === 'binary' || source === 'gaussian') data = { source: 'random', kind: source, count, seed };
    else if (source === 'none') data = { source: 'none' };
    else if (source === 'auto') data = { source: 'auto', count, seed };
    else data = { source: 'fashion-mnist', count };
    const r: RunRequest = {
      kind: kindSel.value,
      config: configForm?.value() ?? {},
      data,
      cue: { store: $<HTMLInputElement>('store').checked, cue: $<HTMLSelectElement>('cue').value as 'clean' | 'noisy' | 'bottom-half', noise: num('noise') ?? 0.3 },
      batch: num('batch') ?? 4,
      seed,
      maxSteps: num('steps') ?? 100,
      extra: runForm?.value() ?? {},
    };
    const dt = num('dt');
    const tol = num('tolerance');
    if (dt !== undefined) r.dt = dt;
    if (tol !== undefined) r.tolerance = tol;
    if (loaded && loaded.kind === r.kind) r.model = { spec: loaded.spec, weights: loaded.weights };
    return r;
  };

  const onEvent = (rec: RunRecord) => (e: RunEvent): void => {
    if (e.type === 'start') {
      rec.label = e.title;
      return;
    }
    if (e.type === 'step') {
      rec.steps.push(e.step);
      rec.energies.push(e.energy ?? NaN);
      rec.deltas.push(e.delta);
      rec.lastTree = e.energyTree;
      $('readout').textContent = `step ${e.step}  t=${e.t.toFixed(3)}  energy ${e.energy === null ? '-' : e.energy.toPrecision(6)}  max|dx| ${e.delta.toExponential(2)}${e.converged ? '  converged' : ''}`;
      $('tree').replaceChildren(energyTree(e.energyTree));
      if (e.images) $('states').replaceChildren(drawStates(e.images));
      redraw();
      return;
    }
    rec.status = e.status;
    setStatus(e.status);
    if (e.status === 'error') message(e.message ?? 'the run failed', true);
    if (e.status === 'done' || e.status === 'cancelled' || e.status === 'error') {
      rec.endedAt = Date.now();
      rec.compare = rec.steps.length > 1;
      handle = undefined;
      redraw();
      void refreshTensors();
    }
  };

  $('start').addEventListener('click', async () => {
    handle?.cancel();
    message('');
    let r: RunRequest;
    try {
      r = request();
    } catch (err) {
      message((err as Error).message, true);
      return;
    }
    const rec: RunRecord = { id: nextId++, label: r.kind, kind: r.kind, runner: runner.where, steps: [], energies: [], deltas: [], status: 'starting', startedAt: Date.now(), compare: false, lastTree: {} };
    runs.push(rec);
    live = rec;
    setStatus('starting');
    try {
      handle = await runner.start(r, onEvent(rec));
    } catch (err) {
      onEvent(rec)({ type: 'status', status: 'error', message: (err as Error).message });
    }
  });
  $('pause').addEventListener('click', () => handle?.pause());
  $('resume').addEventListener('click', () => handle?.resume());
  $('cancel').addEventListener('click', () => handle?.cancel());

  $('save').addEventListener('click', async () => {
    if (!options.engram) return message('saving needs the page runner', true);
    try {
      const art = await modelArtifacts(options.engram, kindSel.value, configForm?.value() ?? {});
      const base = kindSel.value.replace('/', '-');
      download(`${base}.json`, `${JSON.stringify({ ...art.spec, weights: { ...art.spec.weights, file: `${base}.weights.bin` } }, null, 2)}\n`, 'application/json');
      download(`${base}.weights.bin`, art.weights, 'application/octet-stream');
      message(`saved ${base}.json and ${base}.weights.bin`);
    } catch (err) {
      message((err as Error).message, true);
    }
  });
  const tryLoad = async (): Promise<void> => {
    const specFile = $<HTMLInputElement>('load-spec').files?.[0];
    const weightsFile = $<HTMLInputElement>('load-weights').files?.[0];
    if (!specFile || !weightsFile) return;
    try {
      const spec = JSON.parse(await specFile.text()) as Record<string, unknown>;
      const weights = new Uint8Array(await weightsFile.arrayBuffer());
      if (options.engram) (await deserializeModel(options.engram, { spec: spec as never, weights }, { source: specFile.name })).dispose();
      loaded = { spec, weights: toBase64(weights), kind: String(spec['kind']), name: specFile.name };
      kindSel.value = loaded.kind;
      showKind();
      $('loaded').textContent = `loaded ${specFile.name} (${loaded.kind}): the next run uses its weights`;
      message('');
    } catch (err) {
      loaded = undefined;
      message((err as Error).message, true);
    }
  };
  $('load-spec').addEventListener('change', () => void tryLoad());
  $('load-weights').addEventListener('change', () => void tryLoad());

  setStatus('idle');
  redraw();
  await loadKinds();
}
