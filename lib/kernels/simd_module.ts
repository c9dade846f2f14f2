/**
 * The project's WebAssembly SIMD kernels, written with {@linkcode ./wasm_asm.ts}. They run
 * on tfjs-backend-wasm's own memory (imported as `env.memory`), so tensors are used in
 * place. All pointers are byte addresses; all strides are in bytes.
 *
 * The convolution kernels are "indirect GEMMs" (as in XNNPACK): a table gives, for every
 * output pixel and filter tap, the address of the input pixel it reads, or of a zero
 * buffer in the padding. One kernel thus covers every stride, padding and dilation, and
 * the sub-pixel classes of a transposed convolution. Register tiles are 6 pixels × 8
 * channels with relaxed-SIMD fused multiply-add; forward convolutions measured 1.1–1.35×
 * as fast as tfjs-backend-wasm 4.22's XNNPACK ones (38–42 GFLOP/s on one core).
 *
 * @module
 */
import {
  assembleModule,
  block,
  brIf,
  call,
  type Code,
  f32,
  f32x4,
  Func,
  type FuncDef,
  i32,
  ifElse,
  ints,
  loop,
  select,
  seq,
  v128,
} from "./wasm_asm.ts";

/** Output pixels per tile of {@linkcode convGemm} and {@linkcode convDot}. */
export const PIXEL_TILE = 6;
/** Output channels per tile of {@linkcode convGemm}; packed weights are padded to it. */
export const CHANNEL_TILE = 8;
/** Channel-loop unrolling of the convolution kernels, where the channel count allows. */
const UNROLL = 4;
/** Input channel counts (1…n) with a specialised `convGemmC<n>`. */
export const SMALL_CHANNELS = 3;
/**
 * Register tiles (rows × 4-float vectors) of the filter gradient: up to 6 × 2, or 3 × 4
 * when the output channels come in 16s. 6 × 2 needs 15 vector registers, as many as V8
 * allocates on x64, and is 8–15% faster where rows are input channels; 3 × 4 spills two
 * accumulators but reads a whole 64-byte line of `dy` per position and wins by ~15% where
 * rows are taps (1-channel inputs). Smaller tiles serve the remainders.
 */
export const FILTER_TILES: readonly [number, number][] = [
  ...range(6).flatMap((r) => [[r + 1, 1], [r + 1, 2]] as [number, number][]),
  ...range(3).map((r) => [r + 1, 4] as [number, number]),
];
/** Positions per cache block of the filter-gradient kernel. */
const POSITION_BLOCK = 256;

/** `[0, 1, …, n − 1]`, for unrolling loops at generation time. */
function range(n: number): number[] {
  return [...Array(n).keys()];
}

/**
 * `address + bytes`, for a load with offset 0. Deno runs wasm without V8's trap handler,
 * so V8 checks every access against a limit that depends on its constant offset; loads
 * at computed addresses with offset 0 share one limit, which frees registers and
 * instructions in the inner loops.
 */
function plusBytes(address: Code, bytes: number): Code {
  return bytes === 0 ? address : i32.add(address, i32.const(bytes));
}

/** `a·b + c`, fused when `fma`. */
function madd(fma: boolean, a: Code, b: Code, c: Code): Code {
  return fma ? f32x4.relaxedMadd(a, b, c) : f32x4.add(f32x4.mul(a, b), c);
}

/** Loads the pixel-row pointers and output pointers of one tile of pixels. */
function pixelTile(f: Func): Code {
  return seq(
    f.set("r0", i32.add(f.get("ind"), i32.mul(f.get("pb"), f.get("tb")))),
    ...range(PIXEL_TILE - 1).map((i) => f.set(`r${i + 1}`, i32.add(f.get(`r${i}`), f.get("tb")))),
    ...range(PIXEL_TILE).map((i) =>
      f.set(`o${i}`, i32.load(i32.add(f.get("outp"), i32.shl(f.get("pb"), i32.const(2))), i * 4))
    ),
  );
}

const CONV_PARAMS: [string, "i32"][] = [
  ["ind", "i32"],
  ["outp", "i32"],
  ["npix", "i32"],
  ["taps", "i32"],
  ["cin", "i32"],
  ["w", "i32"],
  ["bias", "i32"],
  ["cout", "i32"],
  ["relu", "i32"],
];
const PIXEL_LOCALS: [string, "i32"][] = [
  ...range(PIXEL_TILE).flatMap((i) => [[`r${i}`, "i32"], [`o${i}`, "i32"], [`a${i}`, "i32"]]),
] as [string, "i32"][];

/**
 * `convGemm(ind, outp, npix, taps, cin, w, bias, cout, relu)`: for each output pixel `p`
 * (`npix`, a multiple of {@linkcode PIXEL_TILE}) and channel `co < cout`,
 * `out[p][co] = act(bias[co] + Σ_t Σ_c in(p, t)[c] · w[co/8][t][c][co%8])`, where
 * `in(p, t)` is the i32 at `ind + (p·taps + t)·4`, `out[p]` starts at the i32 at
 * `outp + p·4`, `bias` has `ceil(cout/8)·8` floats and `act` is ReLU when `relu ≠ 0`.
 * Tiles of 6 pixels × 8 channels live in 12 vector registers. With `channels`, the
 * variant `convGemmC<channels>` is specialised to that many input channels (`cin` is then
 * ignored): its channel loop is unrolled, which matters for 1–3 channels.
 */
function convGemm(fma: boolean, channels?: number): FuncDef {
  const f = new Func(CONV_PARAMS, [
    ["pb", "i32"],
    ["tb", "i32"],
    ["ct", "i32"],
    ["tiles", "i32"],
    ["t", "i32"],
    ["wp", "i32"],
    ["end", "i32"],
    ["ob", "i32"],
    ["rem", "i32"],
    ...PIXEL_LOCALS,
    ...range(PIXEL_TILE).flatMap((i) => [[`c${i}0`, "v128"], [`c${i}1`, "v128"]]),
    ["w0", "v128"],
    ["w1", "v128"],
    ["av", "v128"],
  ] as [string, "i32" | "v128"][]);
  const acc = (i: number, j: number) => `c${i}${j}`;
  // One input channel `c` steps past the pointers: 2 weight vectors, 6 splats, 12 FMAs.
  const unrolled = (c: number) =>
    seq(
      f.set("w0", v128.load(plusBytes(f.get("wp"), c * 32))),
      f.set("w1", v128.load(plusBytes(f.get("wp"), c * 32 + 16))),
      ...range(PIXEL_TILE).map((i) =>
        seq(
          f.set("av", v128.load32Splat(f.get(`a${i}`), c * 4)),
          f.set(acc(i, 0), madd(fma, f.get("av"), f.get("w0"), f.get(acc(i, 0)))),
          f.set(acc(i, 1), madd(fma, f.get("av"), f.get("w1"), f.get(acc(i, 1)))),
        )
      ),
    );
  // The channel loop, unrolled `by` times so that pointers advance once per `by` channels.
  const channelLoop = (by: number) =>
    loop(
      ...range(by).map(unrolled),
      f.inc("wp", 32 * by),
      ...range(PIXEL_TILE).map((i) => f.inc(`a${i}`, 4 * by)),
      brIf(0, i32.ltU(f.get("a0"), f.get("end"))),
    );
  const tap = seq(
    ...range(PIXEL_TILE).map((i) =>
      f.set(`a${i}`, i32.load(i32.add(f.get(`r${i}`), i32.shl(f.get("t"), i32.const(2)))))
    ),
    channels === undefined
      ? seq(
        f.set("end", i32.add(f.get("a0"), i32.shl(f.get("cin"), i32.const(2)))),
        ifElse(
          i32.eq(i32.and(f.get("cin"), i32.const(UNROLL - 1)), i32.const(0)),
          channelLoop(UNROLL),
          channelLoop(1),
        ),
      )
      : seq(...range(channels).map(unrolled), f.inc("wp", channels * 32)),
  );
  const out = (i: number) => i32.add(f.get(`o${i}`), f.get("ob"));
  const store = ifElse(
    i32.geS(f.get("rem"), i32.const(8)),
    seq(
      ...range(PIXEL_TILE).map((i) =>
        seq(
          v128.store(out(i), f.get(acc(i, 0))),
          v128.store(out(i), f.get(acc(i, 1)), 16),
        )
      ),
    ),
    seq(
      ...range(PIXEL_TILE).flatMap((i) =>
        range(8).map((lane) =>
          ifElse(
            i32.ltS(i32.const(lane), f.get("rem")),
            f32.store(out(i), f32x4.extractLane(f.get(acc(i, lane >> 2)), lane & 3), lane * 4),
          )
        )
      ),
    ),
  );
  const channelTile = seq(
    f.set("ob", i32.shl(f.get("ct"), i32.const(5))),
    ...range(PIXEL_TILE).flatMap((i) => [
      f.set(acc(i, 0), v128.load(i32.add(f.get("bias"), f.get("ob")))),
      f.set(acc(i, 1), v128.load(i32.add(f.get("bias"), f.get("ob")), 16)),
    ]),
    f.for("t", i32.const(0), f.get("taps"), 1, tap),
    ifElse(
      f.get("relu"),
      seq(
        ...range(PIXEL_TILE).flatMap((i) =>
          [0, 1].map((j) => f.set(acc(i, j), f32x4.max(f.get(acc(i, j)), v128.zero())))
        ),
      ),
    ),
    f.set("rem", i32.sub(f.get("cout"), i32.shl(f.get("ct"), i32.const(3)))),
    store,
  );
  const body = seq(
    f.set("tb", i32.shl(f.get("taps"), i32.const(2))),
    f.set("tiles", i32.shrU(i32.add(f.get("cout"), i32.const(7)), i32.const(3))),
    f.for(
      "pb",
      i32.const(0),
      f.get("npix"),
      PIXEL_TILE,
      pixelTile(f),
      f.set("wp", f.get("w")),
      f.for("ct", i32.const(0), f.get("tiles"), 1, channelTile),
    ),
  );
  return { func: f, body, exportAs: channels === undefined ? "convGemm" : `convGemmC${channels}` };
}

/**
 * `convDot(ind, outp, npix, taps, cin, w, bias, cout, relu)`: the same convolution as
 * {@linkcode convGemm} for few output channels, vectorised along the input channels
 * instead (`cin` a multiple of 4): `w` is `[cout][taps][cin]` and `bias` has `cout` floats.
 */
function convDot(fma: boolean): FuncDef {
  const f = new Func(CONV_PARAMS, [
    ["pb", "i32"],
    ["tb", "i32"],
    ["co", "i32"],
    ["t", "i32"],
    ["wp", "i32"],
    ["end", "i32"],
    ["s", "f32"],
    ["bv", "f32"],
    ...PIXEL_LOCALS,
    ...range(PIXEL_TILE).map((i) => [`c${i}`, "v128"]),
    ["wv", "v128"],
  ] as [string, "i32" | "f32" | "v128"][]);
  // Four input channels `k·4 … k·4 + 3` past the pointers, for each pixel of the tile.
  const quad = (k: number) =>
    seq(
      f.set("wv", v128.load(f.get("wp"), k * 16)),
      ...range(PIXEL_TILE).map((i) =>
        f.set(
          `c${i}`,
          madd(fma, v128.load(f.get(`a${i}`), k * 16), f.get("wv"), f.get(`c${i}`)),
        )
      ),
    );
  const channelLoop = (by: number) =>
    loop(
      ...range(by).map(quad),
      f.inc("wp", 16 * by),
      ...range(PIXEL_TILE).map((i) => f.inc(`a${i}`, 16 * by)),
      brIf(0, i32.ltU(f.get("a0"), f.get("end"))),
    );
  const tap = seq(
    ...range(PIXEL_TILE).map((i) =>
      f.set(`a${i}`, i32.load(i32.add(f.get(`r${i}`), i32.shl(f.get("t"), i32.const(2)))))
    ),
    f.set("end", i32.add(f.get("a0"), i32.shl(f.get("cin"), i32.const(2)))),
    ifElse(
      i32.eq(i32.and(f.get("cin"), i32.const(4 * UNROLL - 1)), i32.const(0)),
      channelLoop(UNROLL),
      channelLoop(1),
    ),
  );
  const lane = (i: number, l: number) => f32x4.extractLane(f.get(`c${i}`), l);
  const finish = (i: number) =>
    seq(
      f.set(
        "s",
        f32.add(
          f32.add(f32.add(lane(i, 0), lane(i, 1)), f32.add(lane(i, 2), lane(i, 3))),
          f.get("bv"),
        ),
      ),
      ifElse(f.get("relu"), f.set("s", f32.max(f.get("s"), f32.const(0)))),
      f32.store(i32.add(f.get(`o${i}`), i32.shl(f.get("co"), i32.const(2))), f.get("s")),
    );
  const channel = seq(
    ...range(PIXEL_TILE).map((i) => f.set(`c${i}`, v128.zero())),
    f.for("t", i32.const(0), f.get("taps"), 1, tap),
    f.set("bv", f32.load(i32.add(f.get("bias"), i32.shl(f.get("co"), i32.const(2))))),
    ...range(PIXEL_TILE).map(finish),
  );
  const body = seq(
    f.set("tb", i32.shl(f.get("taps"), i32.const(2))),
    f.for(
      "pb",
      i32.const(0),
      f.get("npix"),
      PIXEL_TILE,
      pixelTile(f),
      f.set("wp", f.get("w")),
      f.for("co", i32.const(0), f.get("cout"), 1, channel),
    ),
  );
  return { func: f, body, exportAs: "convDot" };
}

/**
 * One register tile of the filter gradient: `rows` × `vectors`·4 output channels,
 * accumulated over `n` positions into `dw` (row stride `dws`). Rows are consecutive input
 * channels of one tap, or, when `tapRows`, one input channel of consecutive taps (for
 * inputs with few channels, which would leave most of a channel tile empty).
 * Params: `(ip, ips, n, coff, dp, dps, dw, dws)`: `ip` walks the indirection table from
 * the first row's tap (stride `ips`), `coff` selects the first input channel in bytes,
 * `dp` walks `dy` (stride `dps`).
 */
function filterGradTile(fma: boolean, rows: number, vectors: number, tapRows: boolean): FuncDef {
  const accs = range(rows).flatMap((i) => range(vectors).map((j) => [`c${i}${j}`, "v128"]));
  const f = new Func(
    [
      ["ip", "i32"],
      ["ips", "i32"],
      ["n", "i32"],
      ["coff", "i32"],
      ["dp", "i32"],
      ["dps", "i32"],
      ["dw", "i32"],
      ["dws", "i32"],
    ],
    [
      ["xa", "i32"],
      ["row", "i32"],
      ...accs,
      ...range(vectors).map((j) => [`d${j}`, "v128"]),
      ["av", "v128"],
    ] as [string, "i32" | "v128"][],
  );
  const acc = (i: number, j: number) => `c${i}${j}`;
  const rowPtr = (i: number) => i === 0 ? f.get("dw") : f.get("row");
  const visitRows = (action: (i: number) => Code) =>
    seq(
      ...range(rows).map((i) =>
        seq(
          i > 0 ? f.set("row", i32.add(i === 1 ? f.get("dw") : f.get("row"), f.get("dws"))) : [],
          action(i),
        )
      ),
    );
  const body = seq(
    visitRows((i) =>
      seq(...range(vectors).map((j) => f.set(acc(i, j), v128.load(rowPtr(i), j * 16))))
    ),
    block(
      brIf(0, i32.leS(f.get("n"), i32.const(0))),
      // From here on `n` is where `ip` ends: no counter to carry round the loop.
      f.set("n", i32.add(f.get("ip"), i32.mul(f.get("n"), f.get("ips")))),
      loop(
        tapRows ? [] : f.set("xa", i32.add(i32.load(f.get("ip")), f.get("coff"))),
        ...range(vectors).map((j) => f.set(`d${j}`, v128.load(plusBytes(f.get("dp"), j * 16)))),
        ...range(rows).map((i) =>
          seq(
            f.set(
              "av",
              tapRows
                ? v128.load32Splat(i32.add(i32.load(plusBytes(f.get("ip"), i * 4)), f.get("coff")))
                : v128.load32Splat(plusBytes(f.get("xa"), i * 4)),
            ),
            ...range(vectors).map((j) =>
              f.set(acc(i, j), madd(fma, f.get("av"), f.get(`d${j}`), f.get(acc(i, j))))
            ),
          )
        ),
        f.inc("ip", f.get("ips")),
        f.inc("dp", f.get("dps")),
        brIf(0, i32.ltU(f.get("ip"), f.get("n"))),
      ),
    ),
    visitRows((i) =>
      seq(...range(vectors).map((j) => v128.store(rowPtr(i), f.get(acc(i, j)), j * 16)))
    ),
  );
  return { func: f, body };
}

/**
 * `filterGrad(ind, npos, taps, cin, dy, cout, dw, rowTile, vectorTile)`:
 * `dw[t][ci][co] += Σ_p in(p, t)[ci] · dy[p][co]` over `npos` positions, with `in(p, t)`
 * as in {@linkcode convGemm} and `cout` a multiple of 4. Positions are taken in blocks that
 * stay in cache while every tap and channel tile is visited. Register tiles are
 * `rowTile` rows × `vectorTile`·4 output channels, one of {@linkcode FILTER_TILES}; rows
 * are input channels or, with `tapRows` (exported as `filterGradTaps`), taps.
 *
 * @param tileIndex function index of the tile for `rows` (1…6) and `vectors` (1…2).
 */
function filterGrad(
  tapRows: boolean,
  tileIndex: (rows: number, vectors: number) => number,
): FuncDef {
  const f = new Func(
    [
      ["ind", "i32"],
      ["npos", "i32"],
      ["taps", "i32"],
      ["cin", "i32"],
      ["dy", "i32"],
      ["cout", "i32"],
      ["dw", "i32"],
      ["rowTile", "i32"],
      ["vectorTile", "i32"],
    ],
    [
      ["p0", "i32"],
      ["n", "i32"],
      ["t", "i32"],
      ["ci", "i32"],
      ["co", "i32"],
      ["rows", "i32"],
      ["vectors", "i32"],
      ["ips", "i32"],
      ["dps", "i32"],
      ["dws", "i32"],
    ],
  );
  const args = [
    i32.add(
      f.get("ind"),
      i32.add(i32.mul(f.get("p0"), f.get("ips")), i32.shl(f.get("t"), i32.const(2))),
    ),
    f.get("ips"),
    f.get("n"),
    i32.shl(f.get("ci"), i32.const(2)),
    i32.add(
      f.get("dy"),
      i32.add(i32.mul(f.get("p0"), f.get("dps")), i32.shl(f.get("co"), i32.const(2))),
    ),
    f.get("dps"),
    i32.add(
      f.get("dw"),
      i32.shl(
        i32.add(
          i32.mul(i32.add(i32.mul(f.get("t"), f.get("cin")), f.get("ci")), f.get("cout")),
          f.get("co"),
        ),
        i32.const(2),
      ),
    ),
    f.get("dws"),
  ];
  const dispatch = seq(
    ...FILTER_TILES.map(([r, v]) =>
      ifElse(
        i32.and(i32.eq(f.get("rows"), i32.const(r)), i32.eq(f.get("vectors"), i32.const(v))),
        call(tileIndex(r, v), ...args),
      )
    ),
  );
  const remaining = (name: string, total: string) => i32.sub(f.get(total), f.get(name));
  const atMost = (limit: Code, value: Code) => select(limit, value, i32.leS(limit, value));
  // for (name = 0; name < total; name += rowTile) with rows = min(rowTile, total − name).
  const rowLoop = (name: string, total: string, body: Code) =>
    seq(
      f.set(name, i32.const(0)),
      block(
        brIf(0, i32.geS(f.get(name), f.get(total))),
        loop(
          f.set("rows", atMost(f.get("rowTile"), remaining(name, total))),
          body,
          f.inc(name, f.get("rowTile")),
          brIf(0, i32.ltS(f.get(name), f.get(total))),
        ),
      ),
    );
  const channels = seq(
    f.set("co", i32.const(0)),
    loop(
      f.set(
        "vectors",
        atMost(f.get("vectorTile"), i32.shrU(remaining("co", "cout"), i32.const(2))),
      ),
      dispatch,
      f.inc("co", i32.shl(f.get("vectors"), i32.const(2))),
      brIf(0, i32.ltS(f.get("co"), f.get("cout"))),
    ),
  );
  const tiles = tapRows
    ? f.for("ci", i32.const(0), f.get("cin"), 1, rowLoop("t", "taps", channels))
    : f.for("t", i32.const(0), f.get("taps"), 1, rowLoop("ci", "cin", channels));
  const body = seq(
    f.set("ips", i32.shl(f.get("taps"), i32.const(2))),
    f.set("dps", i32.shl(f.get("cout"), i32.const(2))),
    // Rows of a tile are consecutive channels (one output row apart in dw) or taps.
    f.set("dws", tapRows ? i32.mul(f.get("cin"), f.get("dps")) : f.get("dps")),
    f.for(
      "p0",
      i32.const(0),
      f.get("npos"),
      POSITION_BLOCK,
      f.set(
        "n",
        select(
          i32.const(POSITION_BLOCK),
          remaining("p0", "npos"),
          i32.leS(i32.const(POSITION_BLOCK), remaining("p0", "npos")),
        ),
      ),
      tiles,
    ),
  );
  return { func: f, body, exportAs: tapRows ? "filterGradTaps" : "filterGrad" };
}

/**
 * `colSum(x, rows, cols, out)`: `out[c] = Σ_r x[r][c]`, `cols` a multiple of 4 — the
 * bias gradient of a channels-last tensor.
 */
function colSum(): FuncDef {
  const f = new Func(
    [["x", "i32"], ["rows", "i32"], ["cols", "i32"], ["out", "i32"]],
    [["r", "i32"], ["c", "i32"], ["rb", "i32"], ["cb", "i32"]],
  );
  const at = (base: string) => i32.add(f.get(base), f.get("c"));
  const body = seq(
    f.set("rb", i32.shl(f.get("cols"), i32.const(2))),
    f.for("c", i32.const(0), f.get("rb"), 16, v128.store(at("out"), v128.zero())),
    f.for(
      "r",
      i32.const(0),
      f.get("rows"),
      1,
      f.for(
        "c",
        i32.const(0),
        f.get("rb"),
        16,
        v128.store(at("out"), f32x4.add(v128.load(at("out")), v128.load(at("x")))),
      ),
      f.inc("x", f.get("rb")),
    ),
  );
  return { func: f, body, exportAs: "colSum" };
}

/**
 * `indirection(ind, x, zero, n, oh, ow, ih, iw, cin, sh, sw, pt, pl, kh, kw, dh, dw, npix)`:
 * fills the table for a convolution of `x` (`[n, ih, iw, cin]`) on an `oh × ow` output
 * grid: entry `(p, ky·kw + kx)` is the address of input pixel
 * `(oy·sh − pt + ky·dh, ox·sw − pl + kx·dw)`, or `zero` outside the image. Pixels from
 * `n·oh·ow` up to `npix` (tile padding) read `zero` only. Pads may be negative (crops).
 */
function indirection(): FuncDef {
  const names = [
    "ind",
    "x",
    "zero",
    "n",
    "oh",
    "ow",
    "ih",
    "iw",
    "cin",
    "sh",
    "sw",
    "pt",
    "pl",
    "kh",
    "kw",
    "dh",
    "dw",
    "npix",
  ];
  const f = new Func(
    names.map((n) => [n, "i32"]),
    ["b", "oy", "ox", "ky", "kx", "iy", "ix", "img", "rowb", "pixb", "end"].map((n) => [n, "i32"]),
  );
  const get = (n: string) => f.get(n);
  const pixel = f.for(
    "ky",
    i32.const(0),
    get("kh"),
    1,
    f.set(
      "iy",
      i32.add(i32.sub(i32.mul(get("oy"), get("sh")), get("pt")), i32.mul(get("ky"), get("dh"))),
    ),
    f.for(
      "kx",
      i32.const(0),
      get("kw"),
      1,
      f.set(
        "ix",
        i32.add(i32.sub(i32.mul(get("ox"), get("sw")), get("pl")), i32.mul(get("kx"), get("dw"))),
      ),
      i32.store(
        get("ind"),
        select(
          i32.add(
            get("img"),
            i32.add(i32.mul(get("iy"), get("rowb")), i32.mul(get("ix"), get("pixb"))),
          ),
          get("zero"),
          i32.and(i32.ltU(get("iy"), get("ih")), i32.ltU(get("ix"), get("iw"))),
        ),
      ),
      f.inc("ind", 4),
    ),
  );
  const body = seq(
    f.set("pixb", i32.shl(get("cin"), i32.const(2))),
    f.set("rowb", i32.mul(get("iw"), get("pixb"))),
    f.for(
      "b",
      i32.const(0),
      get("n"),
      1,
      f.set("img", i32.add(get("x"), i32.mul(i32.mul(get("b"), get("ih")), get("rowb")))),
      f.for("oy", i32.const(0), get("oh"), 1, f.for("ox", i32.const(0), get("ow"), 1, pixel)),
    ),
    f.set(
      "end",
      i32.add(
        get("ind"),
        i32.shl(
          i32.mul(
            i32.sub(get("npix"), i32.mul(i32.mul(get("n"), get("oh")), get("ow"))),
            i32.mul(get("kh"), get("kw")),
          ),
          i32.const(2),
        ),
      ),
    ),
    f.for("ind", get("ind"), get("end"), 4, i32.store(get("ind"), get("zero"))),
  );
  return { func: f, body, exportAs: "indirection" };
}

/**
 * `outputs(outp, base, n, oh, ow, imgb, rowb, pixb, npix, sink)`: the output table of a
 * convolution, entry `(b, y, x)` = `base + b·imgb + y·rowb + x·pixb`; tile padding up to
 * `npix` writes to `sink`.
 */
function outputs(): FuncDef {
  const names = ["outp", "base", "n", "oh", "ow", "imgb", "rowb", "pixb", "npix", "sink"];
  const f = new Func(
    names.map((n) => [n, "i32"]),
    ["b", "y", "x", "img", "row", "end"].map((n) => [n, "i32"]),
  );
  const get = (n: string) => f.get(n);
  const body = seq(
    f.for(
      "b",
      i32.const(0),
      get("n"),
      1,
      f.set("img", i32.add(get("base"), i32.mul(get("b"), get("imgb")))),
      f.for(
        "y",
        i32.const(0),
        get("oh"),
        1,
        f.set("row", i32.add(get("img"), i32.mul(get("y"), get("rowb")))),
        f.for(
          "x",
          i32.const(0),
          get("ow"),
          1,
          i32.store(get("outp"), i32.add(get("row"), i32.mul(get("x"), get("pixb")))),
          f.inc("outp", 4),
        ),
      ),
    ),
    f.set(
      "end",
      i32.add(
        get("outp"),
        i32.shl(
          i32.sub(get("npix"), i32.mul(i32.mul(get("n"), get("oh")), get("ow"))),
          i32.const(2),
        ),
      ),
    ),
    f.for("outp", get("outp"), get("end"), 4, i32.store(get("outp"), get("sink"))),
  );
  return { func: f, body, exportAs: "outputs" };
}

/** Element-wise binary operations of {@linkcode binary}, by export name. */
export const BINARY_OPS = { add: f32x4.add, mul: f32x4.mul } as const;

/**
 * `name(a, as, b, bs, out, rows, cols)`: `out[r][c] = op(a[r][c], b[r][c])` for a
 * `[rows, cols]` result (`cols` a multiple of 4), where row `r` of `a` starts `r·as` bytes
 * after `a` (so `as = 0` broadcasts one row, e.g. a bias) and likewise for `b`.
 */
function binary(name: string, op: (a: Code, b: Code) => Code): FuncDef {
  const f = new Func(
    ["a", "as", "b", "bs", "out", "rows", "cols"].map((n) => [n, "i32"]),
    [["r", "i32"], ["c", "i32"], ["cb", "i32"]],
  );
  const at = (base: string) => i32.add(f.get(base), f.get("c"));
  const body = seq(
    f.set("cb", i32.shl(f.get("cols"), i32.const(2))),
    f.for(
      "r",
      i32.const(0),
      f.get("rows"),
      1,
      f.for(
        "c",
        i32.const(0),
        f.get("cb"),
        16,
        v128.store(at("out"), op(v128.load(at("a")), v128.load(at("b")))),
      ),
      f.inc("a", f.get("as")),
      f.inc("b", f.get("bs")),
      f.inc("out", f.get("cb")),
    ),
  );
  return { func: f, body, exportAs: name };
}

/**
 * `greaterEqual(a, as, b, bs, out, rows, cols)`: as {@linkcode binary}, writing
 * `a ≥ b` as one byte (0 or 1) per element — tfjs's bool layout.
 */
function greaterEqual(): FuncDef {
  const f = new Func(
    ["a", "as", "b", "bs", "out", "rows", "cols"].map((n) => [n, "i32"]),
    [["r", "i32"], ["c", "i32"], ["cb", "i32"], ["m", "v128"]],
  );
  const at = (base: string) => i32.add(f.get(base), f.get("c"));
  // Narrow the four all-ones/zero lanes to bytes, then keep bit 0 of each byte.
  const bytes = ints.i32x4ExtractLane(
    ints.i8x16NarrowI16x8S(
      ints.i16x8NarrowI32x4S(f.get("m"), f.get("m")),
      ints.i16x8NarrowI32x4S(f.get("m"), f.get("m")),
    ),
    0,
  );
  const body = seq(
    f.set("cb", i32.shl(f.get("cols"), i32.const(2))),
    f.for(
      "r",
      i32.const(0),
      f.get("rows"),
      1,
      f.for(
        "c",
        i32.const(0),
        f.get("cb"),
        16,
        f.set("m", f32x4.ge(v128.load(at("a")), v128.load(at("b")))),
        i32.store(
          i32.add(f.get("out"), i32.shrU(f.get("c"), i32.const(2))),
          i32.and(bytes, i32.const(0x01010101)),
        ),
      ),
      f.inc("a", f.get("as")),
      f.inc("b", f.get("bs")),
      f.inc("out", f.get("cols")),
    ),
  );
  return { func: f, body, exportAs: "greaterEqual" };
}

/**
 * Element-wise unary operations of {@linkcode unary}, by export name; `p` is the f32
 * parameter splatted into four lanes. `relu` is `max(x, 0)`: NaN for NaN, +0 for −0, as
 * tfjs's cpu backend; `step` is `x > 0 ? 1 : p`, NaN for NaN (tfjs's Step, `alpha = p`).
 */
export const UNARY_OPS = {
  relu: (x: Code) => f32x4.max(x, v128.zero()),
  step: (x: Code, p: Code) =>
    v128.bitselect(
      x,
      v128.bitselect(f32x4.splat(f32.const(1)), p, f32x4.gt(x, v128.zero())),
      f32x4.ne(x, x),
    ),
} as const;

/**
 * `name(x, out, n, p)`: `out[i] = op(x[i])` for `n` floats (a multiple of 4), with the
 * f32 parameter whose bits are the i32 `p`.
 */
function unary(name: string, op: (x: Code, p: Code) => Code): FuncDef {
  const f = new Func(
    ["x", "out", "n", "p"].map((n) => [n, "i32"]),
    [["i", "i32"], ["end", "i32"], ["pv", "v128"], ["xv", "v128"]],
  );
  const body = seq(
    f.set("end", i32.shl(f.get("n"), i32.const(2))),
    f.set("pv", f32x4.splat(f32.reinterpretI32(f.get("p")))),
    f.for(
      "i",
      i32.const(0),
      f.get("end"),
      16,
      f.set("xv", v128.load(i32.add(f.get("x"), f.get("i")))),
      v128.store(i32.add(f.get("out"), f.get("i")), op(f.get("xv"), f.get("pv"))),
    ),
  );
  return { func: f, body, exportAs: name };
}

/** Floats of the constants block {@linkcode adam} reads. */
export const ADAM_CONSTANTS = 8;

/**
 * `adam(w, m, v, g, n, k, out)`: Adam's update of `n` floats, the new weights to `out`
 * and the moments in place, in the float32 operations and order of tfjs's
 * `AdamOptimizer`, so the bits equal its. `k` points at
 * {@linkcode ADAM_CONSTANTS} floats `[β1, 1 − β1, β2, 1 − β2, 1 − β1ᵗ, 1 − β2ᵗ, ε, −lr]`:
 * `m = m·β1 + g·(1 − β1)`, `v = v·β2 + g·g·(1 − β2)`,
 * `out = m / (1 − β1ᵗ) / (√(v / (1 − β2ᵗ)) + ε) · (−lr) + w`. Four floats at a time, then
 * one at a time for the rest.
 */
function adam(): FuncDef {
  const names = range(ADAM_CONSTANTS).map((j) => `k${j}`);
  const f = new Func(
    ["w", "m", "v", "g", "n", "k", "out"].map((n) => [n, "i32"]),
    [
      ["i", "i32"],
      ["end", "i32"],
      ["vend", "i32"],
      ...names.map((n) => [n, "v128"] as [string, "v128"]),
      ...names.map((n) => [`s${n}`, "f32"] as [string, "f32"]),
      ["mv", "v128"],
      ["vv", "v128"],
      ["gv", "v128"],
      ["ms", "f32"],
      ["vs", "f32"],
      ["gs", "f32"],
    ],
  );
  const at = (base: string) => i32.add(f.get(base), f.get("i"));
  const update = (
    ops: typeof f32x4 | typeof f32,
    load: (a: Code) => Code,
    store: (a: Code, x: Code) => Code,
    k: (j: number) => Code,
    [mx, vx, gx]: string[],
  ) =>
    seq(
      f.set(gx, load(at("g"))),
      f.set(mx, ops.add(ops.mul(load(at("m")), k(0)), ops.mul(f.get(gx), k(1)))),
      store(at("m"), f.get(mx)),
      f.set(
        vx,
        ops.add(ops.mul(load(at("v")), k(2)), ops.mul(ops.mul(f.get(gx), f.get(gx)), k(3))),
      ),
      store(at("v"), f.get(vx)),
      store(
        at("out"),
        ops.add(
          ops.mul(
            ops.div(ops.div(f.get(mx), k(4)), ops.add(ops.sqrt(ops.div(f.get(vx), k(5))), k(6))),
            k(7),
          ),
          load(at("w")),
        ),
      ),
    );
  const body = seq(
    ...names.map((n, j) => f.set(n, v128.load32Splat(f.get("k"), 4 * j))),
    ...names.map((n, j) => f.set(`s${n}`, f32.load(f.get("k"), 4 * j))),
    f.set("end", i32.shl(f.get("n"), i32.const(2))),
    f.set("vend", i32.and(f.get("end"), i32.const(-16))),
    f.for(
      "i",
      i32.const(0),
      f.get("vend"),
      16,
      update(f32x4, (a) => v128.load(a), (a, x) => v128.store(a, x), (j) => f.get(names[j]), [
        "mv",
        "vv",
        "gv",
      ]),
    ),
    f.for(
      "i",
      f.get("vend"),
      f.get("end"),
      4,
      update(f32, (a) => f32.load(a), (a, x) => f32.store(a, x), (j) => f.get(`s${names[j]}`), [
        "ms",
        "vs",
        "gs",
      ]),
    ),
  );
  return { func: f, body, exportAs: "adam" };
}

/**
 * The kernels' module bytes.
 *
 * @param fma use relaxed-SIMD fused multiply-add; without it, multiply then add.
 * @param sharedMemory import a shared memory (see {@linkcode assembleModule}). @default false
 */
export function simdModuleBytes(fma: boolean, sharedMemory = false): Uint8Array<ArrayBuffer> {
  const tiles: FuncDef[] = [];
  const tileIndex = (tapRows: boolean) => (rows: number, vectors: number) =>
    (tapRows ? FILTER_TILES.length : 0) +
    FILTER_TILES.findIndex(([r, v]) => r === rows && v === vectors);
  for (const tapRows of [false, true]) {
    for (const [rows, vectors] of FILTER_TILES) {
      tiles.push(filterGradTile(fma, rows, vectors, tapRows));
    }
  }
  return assembleModule([
    ...tiles,
    filterGrad(false, tileIndex(false)),
    filterGrad(true, tileIndex(true)),
    convGemm(fma),
    ...range(SMALL_CHANNELS).map((c) => convGemm(fma, c + 1)),
    convDot(fma),
    colSum(),
    indirection(),
    outputs(),
    ...Object.entries(BINARY_OPS).map(([name, op]) => binary(name, op)),
    greaterEqual(),
    ...Object.entries(UNARY_OPS).map(([name, op]) => unary(name, op)),
    adam(),
  ], sharedMemory);
}
