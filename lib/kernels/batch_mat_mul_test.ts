import * as tf from "@tensorflow/tfjs";
import { assertSmall, errorAgainstCpu, seededTensor, setUpBackends } from "./_testing.ts";

await setUpBackends();

Deno.test("BatchMatMul on wasm matches the cpu backend with every combination of transposes", async () => {
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      const error = await errorAgainstCpu(() =>
        tf.matMul(
          seededTensor(transposeA ? [7, 5] : [5, 7], 1),
          seededTensor(transposeB ? [3, 7] : [7, 3], 2),
          transposeA,
          transposeB,
        )
      );
      assertSmall(error, `matMul transposeA=${transposeA} transposeB=${transposeB}`);
    }
  }
});

Deno.test("the dense layers' products, split over threads, match the cpu backend", async () => {
  // The autoencoder's latent layer at batch 8: forward, dy · Wᵀ and xᵀ · dy.
  for (
    const [a, b, tA, tB] of [
      [[8, 392], [392, 16], false, false],
      [[8, 16], [392, 16], false, true],
      [[8, 392], [8, 16], true, false],
    ] as const
  ) {
    const error = await errorAgainstCpu(() =>
      tf.matMul(seededTensor([...a], 3), seededTensor([...b], 4), tA, tB)
    );
    assertSmall(error, `matMul ${a} ${b} ${tA} ${tB}`);
  }
});

Deno.test("batched and rank-3 products on wasm still match the cpu backend", async () => {
  const batched = await errorAgainstCpu(() =>
    tf.matMul(seededTensor([4, 5, 7], 1), seededTensor([4, 3, 7], 2), false, true)
  );
  assertSmall(batched, "batched matMul");
  const single = await errorAgainstCpu(() =>
    tf.matMul(seededTensor([1, 7, 5], 1), seededTensor([1, 7, 3], 2), true, false)
  );
  assertSmall(single, "rank-3 matMul with batch 1");
});
