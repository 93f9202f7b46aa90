// A conversion worker (see ConvertPool in se.render.ts): converts and renders batches of bodies.
import { parentPort } from 'node:worker_threads';
import { convert, type ToConvert } from './se.render.ts';

parentPort?.on('message', (m: { id: number; items: ToConvert[] }) => {
  try {
    parentPort!.postMessage({ id: m.id, result: convert(m.items) });
  } catch (err) {
    parentPort!.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) });
  }
});
