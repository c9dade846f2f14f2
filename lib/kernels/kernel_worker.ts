/**
 * A Worker of {@linkcode ./kernel_pool.ts}: runs recorded kernel calls on the shared wasm
 * memory it is given, then signals completion; between jobs it polls briefly, then sleeps
 * (`SPIN_MS` in {@linkcode ./kernel_pool_protocol.ts}). Loaded only as a Worker.
 *
 * @module
 */
import { parentPort } from "node:worker_threads";
import { simdModule } from "./simd.ts";
import { CTRL, Poller, POOL_FUNCTIONS } from "./kernel_pool_protocol.ts";

type Kernel = (...args: number[]) => void;

parentPort?.once(
  "message",
  (message: { memory: WebAssembly.Memory; control: SharedArrayBuffer }) => {
    const { memory, control } = message;
    const ctrl = new Int32Array(control);
    const kernels = new Map<boolean, Kernel[]>();
    const kernelsFor = (fma: boolean): Kernel[] => {
      let list = kernels.get(fma);
      if (list === undefined) {
        const { module } = simdModule(fma, true);
        const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
        list = POOL_FUNCTIONS.map((name) => exports[name] as Kernel);
        kernels.set(fma, list);
      }
      return list;
    };
    parentPort?.postMessage("ready");
    let seen = 0;
    let poll = false;
    const poller = new Poller();
    for (;;) {
      if (!(poll && poller.poll(ctrl, CTRL.seq, seen))) Atomics.wait(ctrl, CTRL.seq, seen);
      seen = Atomics.load(ctrl, CTRL.seq);
      Atomics.store(ctrl, CTRL.started, seen);
      let failed = 0;
      try {
        const list = kernelsFor(ctrl[CTRL.fma] === 1);
        const end = CTRL.calls + ctrl[CTRL.length];
        for (let i = CTRL.calls; i < end;) {
          const fn = list[ctrl[i]];
          const argc = ctrl[i + 1];
          fn(...ctrl.subarray(i + 2, i + 2 + argc));
          i += 2 + argc;
        }
      } catch {
        failed = 1;
      }
      // The main thread still awake: the two run side by side, so await the next job awake.
      poll = Atomics.load(ctrl, CTRL.mainAwake) === 1;
      Atomics.store(ctrl, CTRL.failed, failed);
      Atomics.store(ctrl, CTRL.done, seen);
      Atomics.notify(ctrl, CTRL.done);
    }
  },
);
