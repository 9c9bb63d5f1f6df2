// Node with worker_threads: workers sum slices and post the results back; the process ends when all exit.
const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');
if (isMainThread) {
  let done = 0, total = 0;
  for (let w = 0; w < 3; w++) {
    const worker = new Worker(__filename, { workerData: w });
    worker.on('message', (s) => { total += s; });
    worker.on('exit', () => { if (++done === 3) console.log('total', total); });
  }
} else {
  let s = 0;
  for (let i = workerData * 100000; i < (workerData + 1) * 100000; i++) s += i % 13;
  parentPort.postMessage(s);
}
