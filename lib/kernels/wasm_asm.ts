/**
 * A small WebAssembly assembler: enough of the binary format (i32, f32 and 128-bit SIMD
 * arithmetic, memory access, structured control flow) to write the project's kernels as
 * TypeScript that emits bytes at start-up. Generating the module at run time keeps the
 * repository free of compiled binaries and of a build step, and lets kernel variants
 * (tile sizes, FMA or not) be produced by ordinary loops.
 *
 * Expressions are byte arrays in stack order: `i32.add(a, b)` is `a`, `b`, then the
 * opcode. Locals are addressed by name through a {@linkcode Func}.
 *
 * @module
 */

/** A WebAssembly value type. */
export type ValType = "i32" | "f32" | "v128";

/** Encoded instructions, in stack order. */
export type Code = number[];

const VALTYPE: Record<ValType, number> = { i32: 0x7f, f32: 0x7d, v128: 0x7b };

/** Unsigned LEB128. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
function sleb(n: number): number[] {
  const out: number[] = [];
  n |= 0;
  while (true) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function utf8(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** Concatenates instruction sequences. */
export function seq(...parts: Code[]): Code {
  return parts.flat();
}

function op(opcode: number, ...operands: Code[]): Code {
  return [...operands.flat(), opcode];
}

function simd(opcode: number, ...operands: Code[]): Code {
  return [...operands.flat(), 0xfd, ...uleb(opcode)];
}

/** i32 instructions. Loads and stores take byte addresses and a constant byte offset. */
export const i32 = {
  const: (v: number): Code => [0x41, ...sleb(v)],
  add: (a: Code, b: Code): Code => op(0x6a, a, b),
  sub: (a: Code, b: Code): Code => op(0x6b, a, b),
  mul: (a: Code, b: Code): Code => op(0x6c, a, b),
  shl: (a: Code, b: Code): Code => op(0x74, a, b),
  shrU: (a: Code, b: Code): Code => op(0x76, a, b),
  eq: (a: Code, b: Code): Code => op(0x46, a, b),
  ltS: (a: Code, b: Code): Code => op(0x48, a, b),
  ltU: (a: Code, b: Code): Code => op(0x49, a, b),
  leS: (a: Code, b: Code): Code => op(0x4c, a, b),
  geS: (a: Code, b: Code): Code => op(0x4e, a, b),
  and: (a: Code, b: Code): Code => op(0x71, a, b),
  load: (addr: Code, offset = 0): Code => [...addr, 0x28, 2, ...uleb(offset)],
  store: (
    addr: Code,
    value: Code,
    offset = 0,
  ): Code => [...addr, ...value, 0x36, 2, ...uleb(offset)],
};

/** f32 instructions. */
export const f32 = {
  const: (v: number): Code => [0x43, ...new Uint8Array(new Float32Array([v]).buffer)],
  add: (a: Code, b: Code): Code => op(0x92, a, b),
  mul: (a: Code, b: Code): Code => op(0x94, a, b),
  div: (a: Code, b: Code): Code => op(0x95, a, b),
  sqrt: (a: Code): Code => op(0x91, a),
  max: (a: Code, b: Code): Code => op(0x97, a, b),
  /** The f32 with the bits of an i32. */
  reinterpretI32: (a: Code): Code => op(0xbe, a),
  load: (addr: Code, offset = 0): Code => [...addr, 0x2a, 2, ...uleb(offset)],
  store: (
    addr: Code,
    value: Code,
    offset = 0,
  ): Code => [...addr, ...value, 0x38, 2, ...uleb(offset)],
};

/** 128-bit vector instructions (alignment hints are natural; wasm allows misalignment). */
export const v128 = {
  load: (addr: Code, offset = 0): Code => [...addr, 0xfd, 0x00, 4, ...uleb(offset)],
  store: (addr: Code, value: Code, offset = 0): Code => [
    ...addr,
    ...value,
    0xfd,
    0x0b,
    4,
    ...uleb(offset),
  ],
  /** Loads one f32 and repeats it in all four lanes. */
  load32Splat: (addr: Code, offset = 0): Code => [...addr, 0xfd, 0x09, 2, ...uleb(offset)],
  zero: (): Code => [0xfd, 0x0c, ...new Array(16).fill(0)],
  /** Bits of `a` where `mask` is set, else of `b`. */
  bitselect: (a: Code, b: Code, mask: Code): Code => simd(0x52, a, b, mask),
};

/** Integer-lane vector instructions. */
export const ints = {
  /** i32x4: lane `lane` as an i32. */
  i32x4ExtractLane: (a: Code, lane: number): Code => [...a, 0xfd, 0x1b, lane],
  /** i16x8 from two i32x4, saturating. */
  i16x8NarrowI32x4S: (a: Code, b: Code): Code => simd(0x85, a, b),
  /** i8x16 from two i16x8, saturating. */
  i8x16NarrowI16x8S: (a: Code, b: Code): Code => simd(0x65, a, b),
};

/** f32x4 lane-wise instructions; comparisons give all-ones or all-zeros lanes. */
export const f32x4 = {
  splat: (a: Code): Code => simd(0x13, a),
  extractLane: (a: Code, lane: number): Code => [...a, 0xfd, 0x1f, lane],
  add: (a: Code, b: Code): Code => simd(0xe4, a, b),
  mul: (a: Code, b: Code): Code => simd(0xe6, a, b),
  div: (a: Code, b: Code): Code => simd(0xe7, a, b),
  sqrt: (a: Code): Code => simd(0xe3, a),
  max: (a: Code, b: Code): Code => simd(0xe9, a, b),
  ge: (a: Code, b: Code): Code => simd(0x46, a, b),
  gt: (a: Code, b: Code): Code => simd(0x44, a, b),
  ne: (a: Code, b: Code): Code => simd(0x42, a, b),
  /** `a·b + c`, fused where the hardware can (relaxed SIMD). */
  relaxedMadd: (a: Code, b: Code, c: Code): Code => simd(0x105, a, b, c),
};

/** `cond ? a : b` without branching; both operands are evaluated. */
export function select(a: Code, b: Code, cond: Code): Code {
  return [...a, ...b, ...cond, 0x1b];
}

/** A block; `br(0)` inside jumps past its end. */
export function block(...body: Code[]): Code {
  return [0x02, 0x40, ...body.flat(), 0x0b];
}

/** A loop; `br(0)` inside jumps back to its start. */
export function loop(...body: Code[]): Code {
  return [0x03, 0x40, ...body.flat(), 0x0b];
}

/** `if (cond) then else otherwise`. */
export function ifElse(cond: Code, then: Code, otherwise: Code = []): Code {
  return [...cond, 0x04, 0x40, ...then, ...(otherwise.length ? [0x05, ...otherwise] : []), 0x0b];
}

/** Branch to the `depth`-th enclosing block or loop when `cond` is non-zero. */
export function brIf(depth: number, cond: Code): Code {
  return [...cond, 0x0d, ...uleb(depth)];
}

/** Calls function `index` of the module with `args` pushed in order. */
export function call(index: number, ...args: Code[]): Code {
  return [...args.flat(), 0x10, ...uleb(index)];
}

/** A function under construction: its signature and named locals. */
export class Func {
  /** Parameter types, in order. */
  readonly params: ValType[] = [];
  /** Declared (non-parameter) local types, in order. */
  readonly locals: ValType[] = [];
  readonly #index = new Map<string, number>();

  /**
   * @param params parameter names and types, in call order.
   * @param locals further locals, zero-initialised on entry.
   */
  constructor(params: [string, ValType][], locals: [string, ValType][] = []) {
    for (const [name, type] of params) this.#add(name, type, this.params);
    for (const [name, type] of locals) this.#add(name, type, this.locals);
  }

  #add(name: string, type: ValType, into: ValType[]): void {
    if (this.#index.has(name)) throw new Error(`duplicate local ${name}`);
    this.#index.set(name, this.#index.size);
    into.push(type);
  }

  #of(name: string): number {
    const i = this.#index.get(name);
    if (i === undefined) throw new Error(`unknown local ${name}`);
    return i;
  }

  /** Pushes local `name`. */
  get(name: string): Code {
    return [0x20, ...uleb(this.#of(name))];
  }

  /** Pops `value` into local `name`. */
  set(name: string, value: Code): Code {
    return [...value, 0x21, ...uleb(this.#of(name))];
  }

  /** `name += step` for an i32 local. */
  inc(name: string, step: number | Code): Code {
    return this.set(
      name,
      i32.add(this.get(name), typeof step === "number" ? i32.const(step) : step),
    );
  }

  /**
   * `for (name = start; name < end; name += step) body`, signed comparison; `end` is
   * re-evaluated each iteration, so pass a local or a constant.
   */
  for(name: string, start: Code, end: Code, step: number, ...body: Code[]): Code {
    return seq(
      this.set(name, start),
      block(
        brIf(0, i32.geS(this.get(name), end)),
        loop(...body, this.inc(name, step), brIf(0, i32.ltS(this.get(name), end))),
      ),
    );
  }
}

/** One function of a module: signature, locals, body and optional export name. */
export interface FuncDef {
  /** The function's locals and signature. */
  func: Func;
  /** Instructions, without the final `end`. */
  body: Code;
  /** Export name; unexported when absent. */
  exportAs?: string;
}

/**
 * Encodes a module whose functions are `funcs` (function `i` has index `i`), importing
 * its memory as `env.memory`. Functions return nothing.
 *
 * @param sharedMemory import a shared memory (at most 65,536 pages), as Workers need,
 * instead of an ordinary one. @default false
 */
export function assembleModule(funcs: FuncDef[], sharedMemory = false): Uint8Array<ArrayBuffer> {
  const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
  const types = funcs.map((f) => [0x60, ...vec(f.func.params.map((t) => [VALTYPE[t]])), 0]);
  // Limits: flags 0 = minimum only; 3 = shared, with minimum and maximum (65,536 pages).
  const limits = sharedMemory ? [0x03, 0x00, 0x80, 0x80, 0x04] : [0x00, 0x00];
  const imports = vec([[...utf8("env"), ...utf8("memory"), 0x02, ...limits]]);
  const exports = funcs.flatMap((f, i) =>
    f.exportAs === undefined ? [] : [[...utf8(f.exportAs), 0x00, ...uleb(i)]]
  );
  const bodies = funcs.map((f) => {
    const locals = vec(f.func.locals.map((t) => [1, VALTYPE[t]]));
    const body = [...locals, ...f.body, 0x0b];
    return [...uleb(body.length), ...body];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(2, imports),
    ...section(3, vec(funcs.map((_, i) => uleb(i)))),
    ...section(7, vec(exports)),
    ...section(10, vec(bodies)),
  ]);
}
