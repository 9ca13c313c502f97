import * as tf from '@tensorflow/tfjs';
import { initBackend, backendInfo } from '@engram/core';
import { etTrainStep } from './dist/cases/et.js';
await initBackend({ backend: 'wasm' });
const c = etTrainStep(); const w = await c.setup();
for (let i=0;i<2;i++) await w.run();
const info = await tf.profile(async () => { await w.run(); });
const by = {}; const cnt = {}; for (const k of info.kernels) { by[k.name] = (by[k.name]||0) + k.kernelTimeMs; cnt[k.name]=(cnt[k.name]||0)+1; }
const tot = Object.values(by).reduce((a,b)=>a+b,0);
console.log('total kernel ms', tot.toFixed(1), 'kernels', info.kernels.length);
console.log(Object.entries(by).sort((a,b)=>b[1]-a[1]).slice(0,25).map(([k,v])=>k+' '+v.toFixed(1)+' ('+cnt[k]+')').join('\n'));
// shapes of slow kernels
const slow = info.kernels.filter(k=>['Sum','Max','Sub','Multiply','Add','Mean','Transpose','Tile','BroadcastTo'].includes(k.name)).map(k=>k.name+' '+JSON.stringify(k.inputShapes)+' '+k.kernelTimeMs.toFixed(2));
const agg={}; for (const s of slow){const key=s.replace(/ [0-9.]+$/,''); agg[key]=(agg[key]||0)+Number(s.split(' ').pop());}
console.log(Object.entries(agg).sort((a,b)=>b[1]-a[1]).slice(0,25).map(([k,v])=>k+' '+v.toFixed(1)).join('\n'));
w.dispose();
{
const w2 = await c.setup(); await w2.run();
const info2 = await tf.profile(async () => { await w2.run(); });
const agg={}, n={}; for (const k of info2.kernels.filter(k=>k.name==='BatchMatMul')) { const key=JSON.stringify(k.inputShapes); agg[key]=(agg[key]||0)+k.kernelTimeMs; n[key]=(n[key]||0)+1; }
console.log(Object.entries(agg).sort((a,b)=>b[1]-a[1]).map(([k,v])=>k+' '+v.toFixed(1)+' x'+n[k]).join('\n'));
w2.dispose();
}
