import WebSocket from 'ws';

/**
 * A WebSocket client for tests: connects to `/api/v1/live`, keeps every frame, and waits for
 * the frame a test expects (or fails after a timeout, naming what it saw).
 */
export interface LiveFrame {
  type: string;
  [k: string]: any;
}

export interface LiveClient {
  ws: WebSocket;
  frames: LiveFrame[];
  send(frame: unknown): void;
  next(pred: (f: LiveFrame) => boolean, timeoutMs?: number, what?: string): Promise<LiveFrame>;
  /** Resolves true if no matching frame arrives within `ms`. */
  quiet(pred: (f: LiveFrame) => boolean, ms?: number): Promise<boolean>;
  subscribe(topic: Record<string, unknown>, since?: number): Promise<LiveFrame>;
  close(): Promise<void>;
}

export function liveUrl(base: string): string {
  return `${base.replace(/^http/, 'ws')}/api/v1/live`;
}

let refs = 0;

export function connectLive(base: string, headers: Record<string, string>): Promise<LiveClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(liveUrl(base), { headers });
    const frames: LiveFrame[] = [];
    const waiters = new Set<{
      pred: (f: LiveFrame) => boolean;
      done: (f: LiveFrame) => void;
      from: number;
    }>();
    ws.on('message', (raw) => {
      const f = JSON.parse(raw.toString()) as LiveFrame;
      frames.push(f);
      for (const w of [...waiters]) {
        if (w.pred(f)) {
          waiters.delete(w);
          w.done(f);
        }
      }
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d;
      });
      res.on('end', () =>
        reject(Object.assign(new Error(`HTTP ${res.statusCode}: ${body}`), { status: res.statusCode, body })),
      );
    });
    ws.on('error', reject);
    const client: LiveClient = {
      ws,
      frames,
      send: (frame) => ws.send(JSON.stringify(frame)),
      next(pred, timeoutMs = 5000, what = 'frame') {
        const seen = frames.find(pred);
        if (seen) {
          frames.splice(frames.indexOf(seen), 1);
          return Promise.resolve(seen);
        }
        return new Promise((res, rej) => {
          const w = {
            pred,
            from: frames.length,
            done: (f: LiveFrame) => {
              clearTimeout(timer);
              frames.splice(frames.indexOf(f), 1);
              res(f);
            },
          };
          const timer = setTimeout(() => {
            waiters.delete(w);
            rej(new Error(`no ${what} within ${timeoutMs} ms; got ${JSON.stringify(frames.slice(-10))}`));
          }, timeoutMs);
          waiters.add(w);
        });
      },
      quiet(pred, ms = 400) {
        return new Promise((res) => {
          const w = { pred, from: frames.length, done: () => res(false) };
          if (frames.some(pred)) return res(false);
          waiters.add(w);
          setTimeout(() => {
            if (waiters.delete(w)) res(true);
          }, ms);
        });
      },
      async subscribe(topic, since) {
        const ref = `r${++refs}`;
        client.send({ type: 'subscribe', ...topic, ...(since != null && { since }), ref });
        return client.next((f) => f.ref === ref, 5000, `answer to subscribe ${JSON.stringify(topic)}`);
      },
      close: () =>
        new Promise((res) => {
          if (ws.readyState === ws.CLOSED) return res();
          ws.once('close', () => res());
          ws.close();
        }),
    };
    ws.on('open', () => {
      client
        .next((f) => f.type === 'hello', 5000, 'hello')
        .then(() => resolve(client))
        .catch(reject);
    });
  });
}
