// An import worker (see ConvertPool in se.render.ts): checks dump files and converts bodies.
import { parentPort } from 'node:worker_threads';
import { errorReply, type Reply, runTask } from './se.render.ts';

parentPort?.on('message', async (m: { id: number; task: Parameters<typeof runTask>[0] }) => {
  const reply = (r: Reply) => parentPort!.postMessage(r);
  try {
    reply({
      id: m.id,
      result: await runTask(m.task, (bytes, rows) => reply({ id: m.id, progress: [bytes, rows] })),
    });
  } catch (err) {
    reply(errorReply(m.id, err));
  }
});
