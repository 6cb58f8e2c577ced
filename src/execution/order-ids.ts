/**
 * Client order ids are assigned by the engine, never chosen by a strategy.
 *
 * Scheme: `<node>-<owner>-<seq>`, e.g. `N1-S2-417`, `N1-R-418`.
 * - `node`: the node's id, 1–8 letters or digits (`N1` unless the node sets one), so two nodes trading one
 *   account never collide.
 * - `owner`: `S<k>` for the k-th strategy of the kernel (1-based, in configuration order), `R` for the risk
 *   engine's own flatten and reduce orders, or `P` for the orders that carry out portfolio targets. No free text: a strategy's name never enters an id.
 * - `seq`: one counter per node shared by every owner, so the number alone is unique on the node. An
 *   Interactive Brokers adapter sends IB's integer order id as `firstValidId + seq - 1` and the whole id as the
 *   free-text `orderRef`; either one finds the other.
 * At most 8 + 1 + 6 + 1 + 16 = 32 characters of `[A-Za-z0-9-]`: within Binance's 36-character
 * `newClientOrderId` and its character set.
 *
 * An id is issued to one owner and may be submitted once, by that owner. {@link ClientOrderIds.claim} refuses
 * anything else (another owner's id, a reused id, an id the engine never issued) before risk sees the order,
 * so what risk checks is always a new order of the one who sends it.
 */
import { KestrelError } from '../core/index.ts'
import { SeqTable } from './seq-table.ts'

/** Owner token of the risk engine's own orders. */
export const RISK_OWNER = 'R'

/** Owner token of the orders the framework's execution model sends for portfolio targets. */
export const PORTFOLIO_OWNER = 'P'

/** Owner token of the k-th strategy (1-based). */
export function strategyOwner(k: number): string {
  if (!Number.isInteger(k) || k < 1 || k > 99_999)
    throw new KestrelError('PARAM_INVALID', `order ids: strategy number must be 1..99999, got ${k}`)
  return `S${k}`
}

const NODE = /^[A-Za-z0-9]{1,8}$/
const OWNER = /^(R|P|S[1-9][0-9]{0,4})$/

/** Issues and claims client order ids for one node. */
export class ClientOrderIds {
  private seq = 0
  private groups = 0
  /** Issued, not yet submitted: sequence number → id (an array window, not a map entry per order). */
  private readonly issued = new SeqTable<string>()

  private readonly nodePrefix: string
  private readonly prefixLength: number

  constructor(readonly nodeId = 'N1') {
    if (!NODE.test(nodeId))
      throw new KestrelError('CONFIG_INVALID', `node id ${JSON.stringify(nodeId)}: 1 to 8 letters or digits`)
    this.nodePrefix = `${nodeId}-`
    this.prefixLength = this.nodePrefix.length
  }

  /** A function issuing fresh ids to `owner` (`S<k>`, `R` or `P`). */
  source(owner: string): () => string {
    if (!OWNER.test(owner)) throw new KestrelError('PARAM_INVALID', `order ids: bad owner ${JSON.stringify(owner)}`)
    const prefix = `${this.nodeId}-${owner}-`
    return () => {
      const seq = ++this.seq
      const id = prefix + String(seq)
      this.issued.set(seq, id)
      return id
    }
  }

  /** A function issuing group ids (OCO / OTO / bracket) to `owner`; a group id is used by one submission. */
  groupSource(owner: string): () => string {
    if (!OWNER.test(owner)) throw new KestrelError('PARAM_INVALID', `order ids: bad owner ${JSON.stringify(owner)}`)
    const prefix = `${this.nodeId}-${owner}-G`
    return () => prefix + String(++this.groups)
  }

  /**
   * Takes `id` for one order of `owner`: it must have been issued to that owner and not submitted before.
   * Throws ORDER_INVALID otherwise, naming the id and why.
   */
  claim(id: string, owner: string): void {
    const seq = this.seqOf(id)
    const p = this.prefixLength
    if (
      seq > 0 &&
      this.issued.get(seq) === id &&
      id.startsWith(owner, p) &&
      id.charCodeAt(p + owner.length) === 45 // '-': the whole owner segment is `owner`
    ) {
      this.issued.delete(seq)
      return
    }
    throw new KestrelError('ORDER_INVALID', `order ${id}: ${this.why(id, owner)}`, { clientOrderId: id, owner })
  }

  private why(id: string, owner: string): string {
    const parts = typeof id === 'string' ? id.split('-') : []
    const seq = Number(parts[2])
    const ours = parts.length === 3 && parts[0] === this.nodeId && OWNER.test(parts[1]!) && seq >= 1
    if (!ours || seq > this.seq)
      return 'client order id was not issued by this engine (take orders from ctx.orders; ids are assigned, not chosen)'
    if (parts[1] !== owner) return 'client order id belongs to another strategy or to risk'
    return 'client order id already used (every order needs a new one from ctx.orders)'
  }

  /**
   * The sequence number of an id of exactly this node's form (`<node>-R-<seq>`, `<node>-P-<seq>` or `<node>-S<k>-<seq>`, no
   * leading zeros), or -1 for any other string. Reads characters only (no allocation): the execution cache is
   * keyed by it.
   */
  seqOf(id: string): number {
    // One order's id is asked for several times in a row (claim, register, ack): the last answer is kept.
    if (id === this.lastId) return this.lastSeq
    const seq = this.parseSeq(id)
    this.lastId = id
    this.lastSeq = seq
    return seq
  }

  private lastId: unknown = undefined
  private lastSeq = -1

  private parseSeq(id: string): number {
    if (typeof id !== 'string') return -1
    const p = this.prefixLength
    const n = id.length
    let i = n - 1
    let v = 0
    let mul = 1
    for (; i >= p; i--) {
      const c = id.charCodeAt(i)
      if (c < 48 || c > 57) break
      v += (c - 48) * mul
      mul *= 10
    }
    const digits = n - 1 - i
    // The sequence: 1 to 15 digits, no leading zero, after a dash.
    if (digits === 0 || digits > 15 || id.charCodeAt(i + 1) === 48 || id.charCodeAt(i) !== 45) return -1
    // The owner: R or P, or S and 1 to 5 digits without a leading zero.
    const o = i - p
    const c0 = id.charCodeAt(p)
    if (o === 1) {
      if (c0 !== 82 && c0 !== 80) return -1
    } else {
      if (c0 !== 83 || o > 6 || id.charCodeAt(p + 1) === 48) return -1
      for (let k = p + 1; k < i; k++) {
        const c = id.charCodeAt(k)
        if (c < 48 || c > 57) return -1
      }
    }
    return id.startsWith(this.nodePrefix) ? v : -1
  }

  /** The owner token encoded in an id of this node (`S<k>`, `R`, `P`), or undefined for any other id. */
  ownerOf(id: string): string | undefined {
    const a = id.indexOf('-')
    const b = id.indexOf('-', a + 1)
    if (a < 0 || b < 0 || id.slice(0, a) !== this.nodeId) return undefined
    const o = id.slice(a + 1, b)
    return OWNER.test(o) ? o : undefined
  }
}
