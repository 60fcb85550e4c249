/**
 * TensorFlow.js on its WebAssembly backend, loaded once per process from the .wasm files that ship inside
 * @tensorflow/tfjs-backend-wasm (no download). The plain SIMD build is used: the threaded build needs a worker
 * script the Node package does not provide.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

let ready: Promise<typeof tf> | null = null;

export function tfWasm(): Promise<typeof tf> {
  if (!ready) {
    ready = (async () => {
      const require = createRequire(import.meta.url);
      const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
      setWasmPaths(`${dist}${path.sep}`);
      setThreadsCount(1);
      tf.env().set('IS_TEST', false);
      const ok = await tf.setBackend('wasm');
      if (!ok) throw new Error('the TensorFlow.js WebAssembly backend failed to start');
      await tf.ready();
      return tf;
    })();
    ready.catch(() => {
      ready = null;
    });
  }
  return ready;
}
