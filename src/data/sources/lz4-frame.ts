/**
 * LZ4 frame format (lz4_Frame_format.md, v1.6) and the LZ4 block format, in TypeScript: what Arrow IPC buffers
 * compressed with `LZ4_FRAME` hold (pyarrow's default for Feather v2, which freqtrade writes). Written here rather
 * than taken from npm: the packages that exist either wrap the C library (a native build) or are unmaintained, and
 * Kestrel adds no dependency for the ~150 lines the decoder needs.
 *
 * The decoder reads concatenated and skippable frames, linked and independent blocks, uncompressed blocks, and
 * checks the header, block and content checksums (xxHash32) when the frame carries them. The encoder writes one
 * frame of independent 64 KB blocks with a greedy hash-table matcher: correct and simple, not fast (the tests use
 * it to write compressed Feather files).
 */

const MAGIC = 0x184d2204
const SKIPPABLE_MASK = 0xfffffff0
const SKIPPABLE = 0x184d2a50
const BLOCK_MAX = [0, 0, 0, 0, 64 << 10, 256 << 10, 1 << 20, 4 << 20]
const MIN_MATCH = 4
/** The last match starts at least this many bytes before the end of a block. */
const MF_LIMIT = 12
/** The last bytes of a block are always literals. */
const LAST_LITERALS = 5

/** A malformed LZ4 frame: what is wrong and at which byte of the input. */
export class Lz4FrameError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`LZ4 frame: ${message} (at byte ${offset})`)
    this.name = 'Lz4FrameError'
  }
}

const P1 = 2654435761
const P2 = 2246822519
const P3 = 3266489917
const P4 = 668265263
const P5 = 374761393

const rotl = (x: number, r: number) => ((x << r) | (x >>> (32 - r))) >>> 0
const u32 = (b: Uint8Array, i: number) => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0
const round = (acc: number, lane: number) => Math.imul(rotl((acc + Math.imul(lane, P2)) >>> 0, 13), P1) >>> 0

/** xxHash32 of `b` with `seed` (the checksum the LZ4 frame format uses). */
export function xxh32(b: Uint8Array, seed = 0): number {
  const n = b.length
  let i = 0
  let h: number
  if (n >= 16) {
    let v1 = (seed + P1 + P2) >>> 0
    let v2 = (seed + P2) >>> 0
    let v3 = seed >>> 0
    let v4 = (seed - P1) >>> 0
    for (; i <= n - 16; i += 16) {
      v1 = round(v1, u32(b, i))
      v2 = round(v2, u32(b, i + 4))
      v3 = round(v3, u32(b, i + 8))
      v4 = round(v4, u32(b, i + 12))
    }
    h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) >>> 0
  } else h = (seed + P5) >>> 0
  h = (h + n) >>> 0
  for (; i <= n - 4; i += 4) h = Math.imul(rotl((h + Math.imul(u32(b, i), P3)) >>> 0, 17), P4) >>> 0
  for (; i < n; i++) h = Math.imul(rotl((h + Math.imul(b[i]!, P5)) >>> 0, 11), P1) >>> 0
  h = Math.imul(h ^ (h >>> 15), P2) >>> 0
  h = Math.imul(h ^ (h >>> 13), P3) >>> 0
  return (h ^ (h >>> 16)) >>> 0
}

/** A byte buffer that grows as the decoder writes. */
class Out {
  buf: Uint8Array
  len = 0
  constructor(size: number) {
    this.buf = new Uint8Array(Math.max(size, 64))
  }
  reserve(extra: number): void {
    if (this.len + extra <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.len + extra) size *= 2
    const next = new Uint8Array(size)
    next.set(this.buf.subarray(0, this.len))
    this.buf = next
  }
}

/** Decodes one LZ4 block (`src[from, to)`) onto the end of `out`; `floor` is where matches may reach back to. */
function decodeBlock(src: Uint8Array, from: number, to: number, out: Out, floor: number): void {
  let i = from
  for (;;) {
    if (i >= to) throw new Lz4FrameError('block ends inside a sequence', i)
    const token = src[i++]!
    let lit = token >>> 4
    if (lit === 15) {
      let b: number
      do {
        if (i >= to) throw new Lz4FrameError('block ends inside a literal length', i)
        b = src[i++]!
        lit += b
      } while (b === 255)
    }
    if (i + lit > to) throw new Lz4FrameError(`${lit} literals run past the block`, i)
    out.reserve(lit)
    if (lit > 32) out.buf.set(src.subarray(i, i + lit), out.len)
    else for (let k = 0, o = out.len, b = out.buf; k < lit; k++) b[o + k] = src[i + k]!
    out.len += lit
    i += lit
    if (i === to) return // the last sequence has literals only
    if (i + 2 > to) throw new Lz4FrameError('block ends inside a match offset', i)
    const offset = src[i]! | (src[i + 1]! << 8)
    i += 2
    if (offset === 0 || out.len - offset < floor) throw new Lz4FrameError(`match offset ${offset} out of range`, i - 2)
    let len = token & 15
    if (len === 15) {
      let b: number
      do {
        if (i >= to) throw new Lz4FrameError('block ends inside a match length', i)
        b = src[i++]!
        len += b
      } while (b === 255)
    }
    len += MIN_MATCH
    out.reserve(len)
    const buf = out.buf
    let d = out.len
    let s = d - offset
    // a byte loop for short and overlapping matches (an overlap repeats the last `offset` bytes); copyWithin else
    if (offset >= len && len > 32) buf.copyWithin(d, s, s + len)
    else for (const end = d + len; d < end;) buf[d++] = buf[s++]!
    out.len += len
  }
}

/** Decompresses LZ4 frames (one or several, skippable frames skipped). Throws {@link Lz4FrameError}. */
export function lz4FrameDecode(src: Uint8Array): Uint8Array {
  const out = new Out(src.length * 4)
  let i = 0
  if (src.length === 0) throw new Lz4FrameError('no data', 0)
  while (i < src.length) {
    if (i + 4 > src.length) throw new Lz4FrameError('truncated magic number', i)
    const magic = u32(src, i)
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE) {
      if (i + 8 > src.length) throw new Lz4FrameError('truncated skippable frame', i)
      i += 8 + u32(src, i + 4)
      continue
    }
    if (magic !== MAGIC) throw new Lz4FrameError(`bad magic number 0x${magic.toString(16)}`, i)
    i = decodeFrame(src, i + 4, out)
  }
  return out.buf.slice(0, out.len)
}

/** Decodes the frame whose descriptor starts at `i`; returns the offset after it. */
function decodeFrame(src: Uint8Array, i: number, out: Out): number {
  const start = i
  if (i + 3 > src.length) throw new Lz4FrameError('truncated frame descriptor', i)
  const flg = src[i]!
  const bd = src[i + 1]!
  if (flg >>> 6 !== 1) throw new Lz4FrameError(`unsupported frame version ${flg >>> 6}`, i)
  if (flg & 0x02 || bd & 0x8f) throw new Lz4FrameError('reserved bits set in the frame descriptor', i)
  const independent = (flg & 0x20) !== 0
  const blockChecksum = (flg & 0x10) !== 0
  const hasSize = (flg & 0x08) !== 0
  const contentChecksum = (flg & 0x04) !== 0
  const hasDict = (flg & 0x01) !== 0
  const blockMax = BLOCK_MAX[(bd >>> 4) & 7]!
  if (blockMax === 0) throw new Lz4FrameError(`bad block maximum size code ${(bd >>> 4) & 7}`, i + 1)
  i += 2
  let size: number | undefined
  if (hasSize) {
    if (i + 8 > src.length) throw new Lz4FrameError('truncated content size', i)
    size = u32(src, i) + u32(src, i + 4) * 2 ** 32
    i += 8
  }
  if (hasDict) throw new Lz4FrameError('frames that need a dictionary are not supported', i)
  if (i >= src.length) throw new Lz4FrameError('truncated frame descriptor', i)
  const hc = (xxh32(src.subarray(start, i)) >>> 8) & 0xff
  if (src[i] !== hc) throw new Lz4FrameError('header checksum mismatch', i)
  i++
  if (size !== undefined) out.reserve(size)
  const frameStart = out.len
  for (;;) {
    if (i + 4 > src.length) throw new Lz4FrameError('truncated block size', i)
    const word = u32(src, i)
    i += 4
    if (word === 0) break // end mark
    const raw = (word & 0x80000000) !== 0
    const n = word & 0x7fffffff
    if (n > blockMax) throw new Lz4FrameError(`block of ${n} bytes exceeds the frame's ${blockMax}`, i - 4)
    if (i + n + (blockChecksum ? 4 : 0) > src.length) throw new Lz4FrameError('truncated block', i)
    if (blockChecksum && xxh32(src.subarray(i, i + n)) !== u32(src, i + n))
      throw new Lz4FrameError('block checksum mismatch', i + n)
    if (raw) {
      out.reserve(n)
      out.buf.set(src.subarray(i, i + n), out.len)
      out.len += n
    } else decodeBlock(src, i, i + n, out, independent ? out.len : frameStart)
    i += n + (blockChecksum ? 4 : 0)
  }
  if (contentChecksum) {
    if (i + 4 > src.length) throw new Lz4FrameError('truncated content checksum', i)
    if (xxh32(out.buf.subarray(frameStart, out.len)) !== u32(src, i))
      throw new Lz4FrameError('content checksum mismatch', i)
    i += 4
  }
  if (size !== undefined && out.len - frameStart !== size)
    throw new Lz4FrameError(`content is ${out.len - frameStart} bytes, the frame says ${size}`, i)
  return i
}

/** Compresses `src` into one LZ4 block (greedy matcher, 4-byte hash); returns the block's bytes. */
function encodeBlock(src: Uint8Array): Uint8Array {
  const n = src.length
  const out: number[] = []
  const table = new Int32Array(1 << 12).fill(-1)
  const hash = (i: number) => Math.imul(u32(src, i), 2654435761) >>> 20
  const length = (v: number) => {
    for (v -= 15; v >= 255; v -= 255) out.push(255)
    out.push(v)
  }
  let anchor = 0
  let i = 0
  while (i + MF_LIMIT < n) {
    const h = hash(i)
    const ref = table[h]!
    table[h] = i
    if (ref < 0 || i - ref > 65535 || u32(src, ref) !== u32(src, i)) {
      i++
      continue
    }
    let len = MIN_MATCH
    while (i + len < n - LAST_LITERALS && src[ref + len] === src[i + len]) len++
    const lit = i - anchor
    out.push((Math.min(lit, 15) << 4) | Math.min(len - MIN_MATCH, 15))
    if (lit >= 15) length(lit)
    for (let k = anchor; k < i; k++) out.push(src[k]!)
    out.push((i - ref) & 0xff, (i - ref) >>> 8)
    if (len - MIN_MATCH >= 15) length(len - MIN_MATCH)
    i += len
    anchor = i
  }
  const lit = n - anchor
  out.push(Math.min(lit, 15) << 4)
  if (lit >= 15) length(lit)
  for (let k = anchor; k < n; k++) out.push(src[k]!)
  return Uint8Array.from(out)
}

/** Compresses `src` into one LZ4 frame of independent 64 KB blocks (no checksums, no content size). */
export function lz4FrameEncode(src: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = []
  const descriptor = Uint8Array.of(0x60, 0x40) // version 01, independent blocks; 64 KB blocks
  parts.push(Uint8Array.of(0x04, 0x22, 0x4d, 0x18, ...descriptor, (xxh32(descriptor) >>> 8) & 0xff))
  const block = BLOCK_MAX[4]!
  for (let at = 0; at < src.length; at += block) {
    const chunk = src.subarray(at, Math.min(src.length, at + block))
    const packed = encodeBlock(chunk)
    const raw = packed.length >= chunk.length
    const body = raw ? chunk : packed
    const size = new Uint8Array(4)
    new DataView(size.buffer).setUint32(0, (body.length | (raw ? 0x80000000 : 0)) >>> 0, true)
    parts.push(size, body)
  }
  parts.push(new Uint8Array(4)) // end mark
  const total = parts.reduce((a, p) => a + p.length, 0)
  const out = new Uint8Array(total)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
