/**
 * The node's side of its journal. At start the node re-runs its journal: inputs (market data, remote venue
 * reports, control actions) are fed to a fresh kernel in their recorded order and at their recorded times;
 * every output the kernel produces on the way (orders and cancels, the in-process venue's reports) must equal
 * the next record, and is then not sent again. Once the journal is exhausted the node is live: each input is
 * appended before it is acted on, each output before it is sent. Strategies are deterministic given their
 * inputs (Kestrel's determinism invariant), so the replay rebuilds orders, positions, account and strategy
 * state exactly; a difference means the code or config changed and the replay stops (NODE_HALTED) naming the
 * record, rather than trade on a state the journal does not describe.
 */
import { KestrelError } from '../../core/index.ts'
import type { EpochMs } from '../../core/index.ts'
import type { FileJournal, JournalRecord } from '../journal/index.ts'

/** Appends inputs and outputs, or checks them against the journal while it is replayed. */
export class NodeJournal {
  private cursor = 0

  constructor(
    readonly journal: FileJournal,
    private readonly existing: readonly JournalRecord[],
    private readonly now: () => EpochMs,
  ) {}

  /** True while records of the journal remain to be replayed. */
  get replaying(): boolean {
    return this.cursor < this.existing.length
  }

  /** Records replayed so far. */
  get replayed(): number {
    return this.cursor
  }

  /** The next record to replay, without taking it. */
  peek(): JournalRecord | undefined {
    return this.existing[this.cursor]
  }

  /** Takes the next record to replay (an input the replay loop is about to feed). */
  take(): JournalRecord {
    const r = this.existing[this.cursor]
    if (r === undefined) throw new KestrelError('STATE_INVALID', 'node journal: nothing left to replay')
    this.cursor++
    return r
  }

  /** Appends an input before it is acted on (live only). */
  input(kind: string, data: unknown, time: EpochMs = this.now()): JournalRecord {
    if (this.replaying)
      throw new KestrelError('STATE_INVALID', `node journal: a new ${kind} arrived while the journal is replayed`)
    return this.journal.append(kind, data, time)
  }

  /**
   * An output the node is about to send. Live: appends it and returns true (send it). Replaying: checks that
   * it equals the next record (NODE_HALTED naming the record and both sides otherwise) and returns false: it
   * was sent before the restart.
   */
  output(kind: string, data: unknown): boolean {
    if (!this.replaying) {
      this.journal.append(kind, data, this.now())
      return true
    }
    const r = this.existing[this.cursor]!
    const got = JSON.stringify(data)
    const had = JSON.stringify(r.data)
    if (r.kind !== kind || got !== had) {
      throw new KestrelError(
        'NODE_HALTED',
        `journal ${this.journal.path}: replay diverged at record ${r.seq}: the journal has ${r.kind} ${had}, the node now produces ${kind} ${got}; the strategies, their parameters or the code changed since it was written`,
        { path: this.journal.path, record: r.seq },
      )
    }
    this.cursor++
    return false
  }
}
