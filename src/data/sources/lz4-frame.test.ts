import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { Lz4FrameError, lz4FrameDecode, lz4FrameEncode, xxh32 } from './lz4-frame.ts'

const text = (s: string) => new TextEncoder().encode(s)
const ascii = (b: Uint8Array) => new TextDecoder().decode(b)
const le32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24]

/** A frame per the format description: magic, FLG, BD, header checksum, the blocks, an end mark, and a checksum. */
function frame(flg: number, blocks: { raw?: boolean; bytes: number[] }[], content?: Uint8Array): Uint8Array {
  const hc = (xxh32(Uint8Array.of(flg, 0x40)) >>> 8) & 0xff
  const out = [0x04, 0x22, 0x4d, 0x18, flg, 0x40, hc]
  for (const b of blocks) out.push(...le32((b.bytes.length | (b.raw ? 0x80000000 : 0)) >>> 0), ...b.bytes)
  out.push(0, 0, 0, 0)
  if (flg & 0x04) out.push(...le32(xxh32(content!)))
  return Uint8Array.from(out)
}

// "abc", then a 9-byte match 3 back (overlapping: it repeats "abc"), then the 5 last literals "xyz12".
const BLOCK = [0x35, ...text('abc'), 3, 0, 0x50, ...text('xyz12')]
const EXPECTED = 'abcabcabcabcxyz12'

describe('xxh32', () => {
  it('matches the reference hashes', () => {
    assert.equal(xxh32(text('')), 0x02cc5d05)
    assert.equal(xxh32(text('a')), 0x550d7456)
    assert.equal(xxh32(text('abc')), 0x32d153ff)
    assert.equal(xxh32(text('Nobody inspects the spammish repetition')), 0xe2293b2f)
  })
})

describe('lz4FrameDecode', () => {
  it('decodes literals and an overlapping match, and checks the content checksum', () => {
    assert.equal(ascii(lz4FrameDecode(frame(0x60, [{ bytes: BLOCK }]))), EXPECTED)
    assert.equal(ascii(lz4FrameDecode(frame(0x64, [{ bytes: BLOCK }], text(EXPECTED)))), EXPECTED)
    const wrong = frame(0x64, [{ bytes: BLOCK }], text('something else'))
    assert.throws(() => lz4FrameDecode(wrong), /content checksum mismatch/)
  })

  it('reads uncompressed blocks, and linked blocks whose matches reach into the block before', () => {
    const raw = frame(0x60, [{ raw: true, bytes: [...text('hello ')] }, { bytes: BLOCK }])
    assert.equal(ascii(lz4FrameDecode(raw)), `hello ${EXPECTED}`)
    // second block: no literals, an 8-byte match 6 back (into "hello "), then 5 literals
    const second = [0x04, 6, 0, 0x50, ...text('!!!!!')]
    const linked = frame(0x40, [{ raw: true, bytes: [...text('hello ')] }, { bytes: second }])
    assert.equal(ascii(lz4FrameDecode(linked)), 'hello hello he!!!!!')
    // the same block in a frame of independent blocks may not reach back
    const independent = frame(0x60, [{ raw: true, bytes: [...text('hello ')] }, { bytes: second }])
    assert.throws(() => lz4FrameDecode(independent), /match offset 6 out of range/)
  })

  it('skips skippable frames and reads concatenated frames', () => {
    const skip = [0x50, 0x2a, 0x4d, 0x18, ...le32(3), 1, 2, 3]
    const f = frame(0x60, [{ bytes: BLOCK }])
    assert.equal(ascii(lz4FrameDecode(Uint8Array.from([...skip, ...f, ...f]))), EXPECTED + EXPECTED)
  })

  it('says what is wrong with a bad frame', () => {
    const good = frame(0x60, [{ bytes: BLOCK }])
    const cases: [Uint8Array, RegExp][] = [
      [Uint8Array.from([1, 2, 3, 4, ...good.subarray(4)]), /bad magic number/],
      [Uint8Array.from([...good.subarray(0, 6), good[6]! ^ 1, ...good.subarray(7)]), /header checksum mismatch/],
      [good.subarray(0, good.length - 6), /truncated/],
      [frame(0x60, [{ bytes: [0x35, ...text('abc'), 9, 0, 0x50, ...text('xyz12')] }]), /match offset 9 out of range/],
      [frame(0x60, [{ bytes: [0xf0] }]), /literal length/],
      [new Uint8Array(0), /no data/],
    ]
    for (const [bytes, msg] of cases) {
      assert.throws(
        () => lz4FrameDecode(bytes),
        (e: unknown) => e instanceof Lz4FrameError && msg.test(e.message),
        String(msg),
      )
    }
  })
})

describe('lz4FrameEncode', () => {
  it('round-trips any bytes, and compresses repetitive ones', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (b) => {
        assert.deepEqual(lz4FrameDecode(lz4FrameEncode(b)), b)
      }),
      { seed: 7, numRuns: 200 },
    )
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 400 })), { maxLength: 400 }),
        (runs) => {
          const b = Uint8Array.from(runs.flatMap(([v, n]) => new Array<number>(n).fill(v)))
          const packed = lz4FrameEncode(b)
          assert.deepEqual(lz4FrameDecode(packed), b)
          if (b.length > 1000) assert.ok(packed.length < b.length / 2, `${packed.length} of ${b.length}`)
        },
      ),
      { seed: 11, numRuns: 100 },
    )
  })

  it('writes several 64 KB blocks for a long input', () => {
    const b = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7) % 251)
    const packed = lz4FrameEncode(b)
    assert.deepEqual(lz4FrameDecode(packed), b)
    assert.ok(packed.length < 20_000, String(packed.length))
  })
})
