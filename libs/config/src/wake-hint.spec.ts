import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { newWakeHintFlag, WakeHintSender, wakeHintTaken } from './wake-hint';

describe('WakeHintSender', () => {
  it('posts one hint until the receiver takes it, then the next', () => {
    let posted = 0;
    const sender = new WakeHintSender(newWakeHintFlag(), () => posted++);
    sender.hint();
    sender.hint();
    sender.hint();
    expect(posted).toBe(1);
    wakeHintTaken(sender.flag);
    sender.hint();
    sender.hint();
    expect(posted).toBe(2);
  });

  it('shares its flag with a real worker thread, which clears it when it takes the hint', async () => {
    // The receiver as the engine's reader threads use it: take the hint (clear the flag), then read.
    const flag = newWakeHintFlag();
    const receiver = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       parentPort.on('message', () => { Atomics.store(workerData, 0, 0); parentPort.postMessage('read'); });`,
      { eval: true, workerData: flag },
    );
    const sender = new WakeHintSender(flag, () => receiver.postMessage('appended'));
    try {
      let reads = 0;
      receiver.on('message', () => reads++);
      for (let i = 0; i < 100; i++) sender.hint(); // one wake-up for all of them
      await once(receiver, 'message');
      expect(reads).toBe(1);
      expect(Atomics.load(sender.flag, 0)).toBe(0);
      sender.hint(); // after the receiver took the last one: a new hint goes out
      await once(receiver, 'message');
      expect(reads).toBe(2);
    } finally {
      await receiver.terminate();
    }
  });
});
