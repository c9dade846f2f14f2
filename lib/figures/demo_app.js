// The live demo page's script (assets/demo.js, written by lib/figures/demo.ts): plain browser
// JavaScript over the stock TensorFlow.js bundle (global `tf`), no build step, no network.
// demo/data.js defines window.DENOISER_DEMO; each demo/models/NAME.js, DENOISER_MODELS[NAME].
(function () {
  "use strict";
  const SIDE = 28;
  const SCALE = 10;
  const N = SIDE * SIDE;
  const $ = (id) => document.getElementById(id);
  const bytes = (base64) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  /** Test digit `k` of demo/data.js, in [0, 1]. */
  const digit = (k) =>
    Float32Array.from(globalThis.DENOISER_DEMO.pixels.subarray(k * N, (k + 1) * N), (v) => v / 255);
  // Tests and curious readers look here.
  const state = globalThis.demo = {
    ready: false,
    model: null,
    clean: new Float32Array(N),
    eps: new Float32Array(N),
    noisy: new Float32Array(N),
    output: null,
    noise: 0.5,
    noiseSeed: 1,
    digit: -1,
  };

  function say(message, isError) {
    $("status").textContent = message;
    $("status").className = isError ? "error" : "";
  }

  function paint(canvas, pixels) {
    tf.tidy(() => tf.browser.draw(tf.tensor2d(pixels, [SIDE, SIDE]).clipByValue(0, 1), canvas));
  }

  function score(output) {
    let m = 0;
    for (let i = 0; i < N; i++) m += (output[i] - state.clean[i]) ** 2 / N;
    return `MSE ${m.toFixed(4)} (PSNR ${m === 0 ? "∞" : (10 * Math.log10(1 / m)).toFixed(2)} dB)`;
  }

  // ε ~ N(0, 1) per pixel, repeatable from its seed; x̃ = clip(x + f·ε, 0, 1), then the model.
  function newNoise() {
    state.eps = tf.tidy(() => tf.randomNormal([N], 0, 1, "float32", state.noiseSeed).dataSync());
  }

  function update() {
    const f = state.noise;
    for (let i = 0; i < N; i++) {
      state.noisy[i] = Math.min(1, Math.max(0, state.clean[i] + f * state.eps[i]));
    }
    paint($("noisy"), state.noisy);
    $("noise-value").textContent = f.toFixed(2);
    if (!state.model) return;
    const x = tf.tensor4d(state.noisy, [1, SIDE, SIDE, 1]);
    state.output = Float32Array.from(tf.tidy(() => state.model.predict(x).dataSync()));
    x.dispose();
    paint($("output"), state.output);
    const what = state.digit >= 0 ? "the clean test digit" : "your drawing";
    // An empty pad has no digit to score against.
    const empty = state.digit < 0 && !state.clean.some((v) => v > 0);
    $("metrics").textContent = empty ? "" : `Against ${what}: noisy input ` +
      `${score(state.noisy)}; model output ${score(state.output)}.`;
  }

  // The pad holds the clean image at 10× scale; the model sees its 10×10 block means.
  function padToClean() {
    state.clean = tf.tidy(() =>
      tf.avgPool(tf.browser.fromPixels($("pad"), 1).cast("float32"), SCALE, SCALE, "valid")
        .div(255).dataSync()
    );
  }

  function caption(line, pad, digit) {
    $("picked").textContent = line;
    $("pad-caption").textContent = pad;
    state.digit = digit;
    for (const el of document.querySelectorAll("#digits canvas")) {
      el.classList.toggle("picked", Number(el.dataset.index) === digit);
    }
  }

  function pickDigit(index) {
    state.clean = digit(index);
    const ctx = $("pad").getContext("2d");
    ctx.imageSmoothingEnabled = false;
    // The gallery's canvas of the digit, scaled up.
    ctx.drawImage($("digits").children[index], 0, 0, SIDE * SCALE, SIDE * SCALE);
    const label = globalThis.DENOISER_DEMO.labels[index];
    caption(`Test digit ${index + 1} (label ${label}).`, "clean test digit", index);
    update();
  }

  function setupPad() {
    const pad = $("pad");
    const ctx = pad.getContext("2d");
    let last = null;
    // The pad is square; its CSS box may be scaled from its 280 canvas pixels.
    const at = (event) =>
      [event.offsetX, event.offsetY].map((v) => v * pad.width / pad.clientWidth);
    const stroke = (to) => {
      Object.assign(ctx, { strokeStyle: "#fff", lineWidth: 2.2 * SCALE, lineCap: "round" });
      ctx.beginPath();
      ctx.moveTo(...last);
      ctx.lineTo(...to);
      ctx.stroke();
      last = to;
      caption("Your drawing.", "your drawing (draw more here)", -1);
      padToClean();
      update();
    };
    pad.addEventListener("pointerdown", (event) => {
      event.preventDefault();
      try {
        pad.setPointerCapture(event.pointerId);
      } catch (_) { /* synthetic pointers cannot be captured */ }
      last = at(event);
      stroke(last);
    });
    pad.addEventListener("pointermove", (event) => last && stroke(at(event)));
    for (const type of ["pointerup", "pointercancel"]) {
      pad.addEventListener(type, () => last = null);
    }
    $("clear").addEventListener("click", () => {
      ctx.fillStyle = "#000";
      ctx.fillRect(0, 0, pad.width, pad.height);
      caption(
        "Cleared: draw a digit in the left square, or pick a test digit.",
        "empty: draw here",
        -1,
      );
      padToClean();
      update();
    });
  }

  function setupGallery() {
    globalThis.DENOISER_DEMO.labels.forEach((label, k) => {
      const c = document.createElement("canvas");
      c.width = c.height = SIDE;
      c.dataset.index = String(k);
      c.title = `test digit ${k + 1}, label ${label}`;
      paint(c, digit(k));
      c.addEventListener("click", () => pickDigit(k));
      $("digits").appendChild(c);
    });
  }

  const loadScript = (src) =>
    new Promise((resolve, reject) => {
      document.head.appendChild(Object.assign(document.createElement("script"), {
        src,
        onload: resolve,
        onerror: () => reject(new Error(`the file ${src} is missing from this report folder`)),
      }));
    });

  async function selectModel(entry) {
    say(`Loading the model of run ${entry.name}…`);
    state.model?.dispose();
    state.model = state.output = null;
    $("output").getContext("2d").clearRect(0, 0, SIDE, SIDE);
    $("metrics").textContent = "";
    try {
      await loadScript(entry.file);
      const m = globalThis.DENOISER_MODELS?.[entry.name];
      if (!m) throw new Error(`the file ${entry.file} is damaged: it defines no model`);
      if (m.error) throw new Error(m.error);
      const { modelTopology, weightSpecs } = m;
      state.model = await tf.loadLayersModel(
        tf.io.fromMemory({ modelTopology, weightSpecs, weightData: bytes(m.weights).buffer }),
      );
      say(`Model: run ${entry.name}, ${entry.label}.`);
    } catch (e) {
      say(`The model of run ${entry.name} cannot be used: ${e.message}`, true);
    }
    update();
  }

  async function start() {
    if (typeof tf === "undefined") {
      return say("TensorFlow.js (assets/tf.min.js) is missing from this report folder.", true);
    }
    const data = globalThis.DENOISER_DEMO;
    if (!data) {
      return say("The test digits (demo/data.js) are missing from this report folder.", true);
    }
    data.pixels = bytes(data.pixels);
    // The cpu backend computes in float32 everywhere, so the page agrees with Deno's numbers.
    await tf.setBackend("cpu");
    const select = $("model");
    data.catalog.forEach((entry, i) => {
      select.add(Object.assign(new Option(entry.label, String(i)), { title: entry.name }));
    });
    newNoise();
    state.noise = data.catalog[0]?.noise ?? 0.5;
    $("noise").value = String(state.noise);
    setupPad();
    setupGallery();
    pickDigit(0);
    select.addEventListener("change", () => selectModel(data.catalog[Number(select.value)]));
    $("noise").addEventListener("input", () => {
      state.noise = Number($("noise").value);
      update();
    });
    $("new-noise").addEventListener("click", () => {
      state.noiseSeed++;
      newNoise();
      update();
    });
    if (data.catalog.length === 0) say("This report has no trained model.", true);
    else await selectModel(data.catalog[0]);
    state.ready = true;
  }

  globalThis.addEventListener("load", () => {
    start().catch((e) => say(`The demo failed to start: ${e.message}`, true));
  });
})();
