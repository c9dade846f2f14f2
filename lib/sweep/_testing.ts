/**
 * A sweep row for tests (claims, chart): the report's autoencoder at f = 0.5 unless
 * `partial` says otherwise.
 *
 * @module
 */
import type { SweepRow } from "./plan.ts";

/** A plausible {@linkcode SweepRow}, overridden by `partial`. */
export function testRow(partial: Partial<SweepRow>): SweepRow {
  return {
    dataset: "mnist",
    noise_type: "gaussian",
    method: "ae",
    variant: "",
    train_noise_factor: 0.5,
    noise_factor: 0.5,
    mse: 0.02,
    psnr: 17,
    ssim: 0.7,
    train_seconds: 10,
    denoise_seconds: 0.1,
    seconds_per_image: 0.0001,
    epochs: 10,
    final_lr: 0.001,
    parameter: "",
    run: "r",
    train_images: 9000,
    test_images: 1000,
    class_mse: Array.from({ length: 10 }, (_, c) => 0.01 + c / 1000),
    seed: 0,
    lr_drops: 0,
    test_inputs_sha256: "t",
    per_image: "",
    per_image_sha256: "",
    ...partial,
  };
}
