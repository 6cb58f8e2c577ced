/**
 * A journal between the kernel and its venue. Every order and cancel is written before the venue sees it;
 * every report of the in-process simulated venue is written before the kernel acts on it. While the node
 * replays its journal, each of these must equal the next record (see `node-journal.ts`); the simulated venue
 * still gets them, since a replay rebuilds it too.
 */
import type { Bar, EpochMs, Order, Quote, ReportSink, TradeTick } from '../../core/index.ts'
import type { SimulatedVenue } from '../../execution/index.ts'
import type { NodeJournal } from './node-journal.ts'
import { NODE_RECORD, orderRecord, reportRecord } from './records.ts'

/** The in-process simulated venue of a paper node, behind the journal. */
export class JournaledSimVenue implements SimulatedVenue {
  readonly venue: string

  constructor(
    private readonly inner: SimulatedVenue,
    private readonly journal: NodeJournal,
  ) {
    this.venue = inner.venue
  }

  connect(sink: ReportSink): void {
    this.inner.connect((r) => {
      this.journal.output(NODE_RECORD.report, reportRecord(r))
      sink(r)
    })
  }

  submit(order: Readonly<Order>, time: EpochMs): void {
    this.journal.output(NODE_RECORD.submit, orderRecord(order))
    this.inner.submit(order, time)
  }

  cancel(clientOrderId: string, time: EpochMs): void {
    this.journal.output(NODE_RECORD.cancel, { clientOrderId })
    this.inner.cancel(clientOrderId, time)
  }

  onBar(bar: Bar): void {
    this.inner.onBar(bar)
  }

  onQuote(quote: Quote): void {
    this.inner.onQuote(quote)
  }

  onTrade(trade: TradeTick): void {
    this.inner.onTrade(trade)
  }

  afterMark(time: EpochMs): void {
    this.inner.afterMark(time)
  }

  advance(time: EpochMs): void {
    this.inner.advance(time)
  }

  applySplit(instrumentId: string, ratio: number, amended: ReadonlyMap<string, Readonly<Order>>): void {
    this.inner.applySplit(instrumentId, ratio, amended)
  }

  delist(instrumentId: string): void {
    this.inner.delist?.(instrumentId)
  }
}
