// The live demo page's script (copied to the report as assets/demo.js; see lib/figures/demo.ts).
// Plain browser JavaScript over the stock TensorFlow.js bundle (global `tf`): no build step,
// no network, works from file://. The models and test digits come from script files that
// define globalThis.DENOISER_MODELS[name] and globalThis.DENOISER_DIGITS.
(function () {
  "use strict";
  const SIDE = 28;
  const SCALE = 10;
  const N = SIDE * SIDE;
  const $ = (id) => document.getElementById(id);
  const state = {
    ready: false,
    updates: 0,
    model: null,
    modelName: "",
    clean: new Float32Array(N),
    eps: new Float32Array(N),
    noisy: new Float32Array(N),
    output: null,
    noise: 0.5,
    noiseSeed: 1,
    digit: -1,
    blank: false,
  };
  // Tests and curious readers look here.
  globalThis.demo = state;

  function say(message, isError) {
    const el = $("status");
    el.textContent = message;
    el.className = isError ? "error" : "";
  }

  // mulberry32: a small seeded generator, so "new noise" is repeatable from its seed.
  function rng(seed) {
    let a = seed >>> 0;
    return function () {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  // ε ~ N(0, 1) per pixel, by Box–Muller.
  function gaussian(seed) {
    const next = rng(seed);
    const out = new Float32Array(N);
    for (let i = 0; i < N; i += 2) {
      const u = 1 - next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      out[i] = r * Math.cos(2 * Math.PI * v);
      if (i + 1 < N) out[i + 1] = r * Math.sin(2 * Math.PI * v);
    }
    return out;
  }

  function base64Bytes(text) {
    const raw = atob(text);
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function paint(canvas, pixels) {
    const ctx = canvas.getContext("2d");
    const img = ctx.createImageData(SIDE, SIDE);
    for (let i = 0; i < N; i++) {
      const v = Math.round(Math.min(1, Math.max(0, pixels[i])) * 255);
      img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = v;
      img.data[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }

  function mse(a, b) {
    let s = 0;
    for (let i = 0; i < N; i++) s += (a[i] - b[i]) ** 2;
    return s / N;
  }

  function psnr(m) {
    return m === 0 ? "∞" : (10 * Math.log10(1 / m)).toFixed(2);
  }

  // x̃ = clip(x + f·ε, 0, 1), then the model's output for x̃.
  function update() {
    const f = state.noise;
    for (let i = 0; i < N; i++) {
      state.noisy[i] = Math.min(1, Math.max(0, state.clean[i] + f * state.eps[i]));
    }
    paint($("noisy"), state.noisy);
    $("noise-value").textContent = f.toFixed(2);
    if (state.model) {
      const model = state.model;
      const noisy = state.noisy;
      const y = tf.tidy(() => model.predict(tf.tensor4d(noisy, [1, SIDE, SIDE, 1])).dataSync());
      state.output = Float32Array.from(y);
      paint($("output"), state.output);
      const inMse = mse(state.noisy, state.clean);
      const outMse = mse(state.output, state.clean);
      const what = state.digit >= 0 ? "the clean test digit" : "your drawing";
      // An empty pad has no digit to score against: the caption says so instead.
      const empty = state.digit < 0 && !state.clean.some((v) => v > 0);
      $("metrics").textContent = empty ? "" : `Against ${what}: noisy input MSE ` +
        `${inMse.toFixed(4)} (PSNR ${psnr(inMse)} dB); model output MSE ${outMse.toFixed(4)} ` +
        `(PSNR ${psnr(outMse)} dB).`;
    }
    state.updates++;
  }

  let pending = false;
  function scheduleUpdate() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      update();
    });
  }

  // The drawing pad holds the clean image at 10× scale; the model sees its 10×10 block means.
  function padToClean() {
    const data = $("pad").getContext("2d").getImageData(0, 0, SIDE * SCALE, SIDE * SCALE).data;
    for (let r = 0; r < SIDE; r++) {
      for (let c = 0; c < SIDE; c++) {
        let s = 0;
        for (let y = 0; y < SCALE; y++) {
          for (let x = 0; x < SCALE; x++) {
            s += data[4 * ((r * SCALE + y) * SIDE * SCALE + c * SCALE + x)];
          }
        }
        state.clean[r * SIDE + c] = s / (SCALE * SCALE * 255);
      }
    }
  }

  function cleanToPad() {
    const small = document.createElement("canvas");
    small.width = small.height = SIDE;
    paint(small, state.clean);
    const ctx = $("pad").getContext("2d");
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(small, 0, 0, SIDE * SCALE, SIDE * SCALE);
  }

  /** The line under the images and the caption of the left square follow what it holds. */
  function caption(line, pad) {
    $("picked").textContent = line;
    $("pad-caption").textContent = pad;
  }

  function markPicked(index) {
    for (const el of document.querySelectorAll("#digits canvas")) {
      el.classList.toggle("picked", Number(el.dataset.index) === index);
    }
  }

  function pickDigit(index) {
    const d = globalThis.DENOISER_DIGITS;
    for (let i = 0; i < N; i++) state.clean[i] = d.pixels[index * N + i] / 255;
    state.digit = index;
    cleanToPad();
    markPicked(index);
    caption(`Test digit ${index + 1} (label ${d.labels[index]}).`, "clean test digit");
    update();
  }

  function setupPad() {
    const pad = $("pad");
    const ctx = pad.getContext("2d");
    let last = null;
    function at(event) {
      const r = pad.getBoundingClientRect();
      return [
        (event.clientX - r.left) * pad.width / r.width,
        (event.clientY - r.top) * pad.height / r.height,
      ];
    }
    function stroke(to) {
      ctx.strokeStyle = "#fff";
      ctx.fillStyle = "#fff";
      ctx.lineWidth = 2.2 * SCALE;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.beginPath();
      ctx.moveTo(last[0], last[1]);
      ctx.lineTo(to[0], to[1]);
      ctx.stroke();
      last = to;
      if (state.digit >= 0 || state.blank) {
        state.digit = -1;
        state.blank = false;
        markPicked(-1);
        caption("Your drawing.", "your drawing (draw more here)");
      }
      padToClean();
      scheduleUpdate();
    }
    pad.addEventListener("pointerdown", (event) => {
      event.preventDefault();
      try {
        pad.setPointerCapture(event.pointerId);
      } catch (_) { /* synthetic pointers cannot be captured */ }
      last = at(event);
      stroke(at(event));
    });
    pad.addEventListener("pointermove", (event) => {
      if (last) stroke(at(event));
    });
    for (const type of ["pointerup", "pointercancel"]) {
      pad.addEventListener(type, () => {
        last = null;
      });
    }
    $("clear").addEventListener("click", () => {
      ctx.fillStyle = "#000";
      ctx.fillRect(0, 0, pad.width, pad.height);
      state.digit = -1;
      state.blank = true;
      markPicked(-1);
      caption(
        "Cleared: draw a digit in the left square, or pick a test digit.",
        "empty: draw here",
      );
      padToClean();
      update();
    });
  }

  function setupGallery() {
    const d = globalThis.DENOISER_DIGITS;
    const box = $("digits");
    for (let k = 0; k < d.count; k++) {
      const c = document.createElement("canvas");
      c.width = c.height = SIDE;
      c.dataset.index = String(k);
      c.title = `test digit ${k + 1}, label ${d.labels[k]}`;
      paint(c, d.pixels.subarray(k * N, (k + 1) * N));
      c.addEventListener("click", () => pickDigit(k));
      box.appendChild(c);
    }
  }

  // Loads demo/models/<file>.js once, then the model it defines, from memory.
  const scripts = {};
  function loadScript(src) {
    if (!scripts[src]) {
      scripts[src] = new Promise((resolve, reject) => {
        const s = document.createElement("script");
        s.src = src;
        s.onload = resolve;
        s.onerror = () => reject(new Error(`the file ${src} is missing from this report folder`));
        document.head.appendChild(s);
      });
    }
    return scripts[src];
  }

  async function selectModel(entry) {
    say(`Loading the model of run ${entry.name}…`);
    if (state.model) state.model.dispose();
    state.model = null;
    state.output = null;
    state.modelName = "";
    const ctx = $("output").getContext("2d");
    ctx.clearRect(0, 0, SIDE, SIDE);
    $("metrics").textContent = "";
    try {
      await loadScript(entry.file);
      const m = (globalThis.DENOISER_MODELS || {})[entry.name];
      if (!m) throw new Error(`the file ${entry.file} is damaged: it defines no model`);
      if (m.error) throw new Error(m.error);
      const bytes = base64Bytes(m.weights);
      if (bytes.length !== m.byteLength) {
        throw new Error(
          `its weights are damaged (${bytes.length} bytes, expected ${m.byteLength})`,
        );
      }
      state.model = await tf.loadLayersModel(tf.io.fromMemory({
        modelTopology: m.modelTopology,
        weightSpecs: m.weightSpecs,
        weightData: bytes.buffer,
      }));
      state.modelName = entry.name;
      say(
        `Model: run ${entry.name}, trained at noise factor ${entry.noise} for ` +
          `${entry.epochs} epoch${entry.epochs === 1 ? "" : "s"}.`,
      );
    } catch (e) {
      say(`The model of run ${entry.name} cannot be used: ${e.message}`, true);
    }
    update();
  }

  async function start() {
    if (typeof tf === "undefined") {
      say("TensorFlow.js (assets/tf.min.js) is missing from this report folder.", true);
      return;
    }
    if (!globalThis.DENOISER_DIGITS || !globalThis.DENOISER_CATALOG) {
      say("The test digits (demo/digits.js) are missing from this report folder.", true);
      return;
    }
    // The cpu backend computes in float32 everywhere, so the page agrees with Deno's numbers.
    await tf.setBackend("cpu");
    const catalog = globalThis.DENOISER_CATALOG;
    const select = $("model");
    catalog.forEach((entry, i) => {
      const o = document.createElement("option");
      o.value = String(i);
      o.textContent = entry.label;
      o.title = entry.name;
      select.appendChild(o);
    });
    state.eps = gaussian(state.noiseSeed);
    state.noise = catalog.length > 0 ? catalog[0].noise : 0.5;
    $("noise").value = String(state.noise);
    setupPad();
    setupGallery();
    pickDigit(0);
    select.addEventListener("change", async () => {
      await selectModel(catalog[Number(select.value)]);
    });
    $("noise").addEventListener("input", () => {
      state.noise = Number($("noise").value);
      update();
    });
    $("new-noise").addEventListener("click", () => {
      state.noiseSeed++;
      state.eps = gaussian(state.noiseSeed);
      update();
    });
    if (catalog.length === 0) say("This report has no trained model.", true);
    else await selectModel(catalog[0]);
    state.ready = true;
  }

  globalThis.addEventListener("load", () => {
    start().catch((e) => say(`The demo failed to start: ${e.message}`, true));
  });
})();
