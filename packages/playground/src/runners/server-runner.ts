/**
 * The runner on the Node side: the page served by `engram serve` starts runs
 * on the server (POST /api/runs with the RunRequest) and follows them over
 * server-sent events (/api/runs/<id>/events); the same RunEvents as in the page.
 */
import type { KindInfo, Runner, RunEvent, RunHandle, RunRequest } from '../protocol.js';

/** Talks to the engram server that served this page. */
export class ServerRunner implements Runner {
  readonly where = 'on the server';
  constructor(
    private readonly token: string,
    private readonly base = '',
  ) {}

  private async post(path: string, body?: unknown): Promise<Response> {
    const res = await fetch(`${this.base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-engram-token': this.token },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) {
      const err = (await res.json().catch(() => ({ error: res.statusText }))) as { error?: string };
      throw new Error(err.error ?? `server answered ${res.status}`);
    }
    return res;
  }

  async kinds(): Promise<KindInfo[]> {
    return ((await (await fetch(`${this.base}/api/kinds`)).json()) as { kinds: KindInfo[] }).kinds;
  }

  async start(request: RunRequest, listener: (e: RunEvent) => void): Promise<RunHandle> {
    const { id } = (await (await this.post('/api/runs', request)).json()) as { id: string };
    const events = new EventSource(`${this.base}/api/runs/${id}/events`);
    events.onmessage = (m) => {
      const e = JSON.parse(m.data as string) as RunEvent;
      listener(e);
      if (e.type === 'status' && (e.status === 'done' || e.status === 'cancelled' || e.status === 'error')) events.close();
    };
    const control = (action: string) => void this.post(`/api/runs/${id}/${action}`).catch(() => undefined);
    return { pause: () => control('pause'), resume: () => control('resume'), cancel: () => control('cancel') };
  }

  async tensors(): Promise<number> {
    return ((await (await fetch(`${this.base}/api/tensors`)).json()) as { numTensors: number }).numTensors;
  }
}
