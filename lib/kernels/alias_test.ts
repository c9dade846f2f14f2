import * as tf from "@tensorflow/tfjs";
import { relativeError, seededTensor, setUpBackends } from "./_testing.ts";

await setUpBackends();

Deno.test("a clone on wasm shares memory yet outlives the tensor it was cloned from", () => {
  const x = seededTensor([4, 5], 1);
  const expected = x.dataSync().slice();
  const buffers = tf.engine().backend.numDataIds();
  const y = tf.clone(x);
  const z = tf.cast(x, "float32");
  if (tf.engine().backend.numDataIds() !== buffers) throw new Error("clone copied the data");
  x.dispose();
  const error = Math.max(
    relativeError(y.dataSync(), expected),
    relativeError(z.dataSync(), expected),
  );
  tf.dispose([y, z]);
  if (error !== 0) throw new Error(`clone changed values: ${error}`);
  if (tf.engine().backend.numDataIds() !== buffers - 1) throw new Error("shared buffer leaked");
});

Deno.test("Cast on wasm still converts between representations", () => {
  const x = tf.tensor([1.7, -2.2, 0, 3.5]);
  const asInt = tf.cast(x, "int32");
  const asBool = tf.cast(x, "bool");
  const values = [...asInt.dataSync(), ...asBool.dataSync()];
  tf.dispose([x, asInt, asBool]);
  if (String(values) !== "1,-2,0,3,1,1,0,1") throw new Error(`cast gave ${values}`);
});
