/**
 * A remote venue behind the journal. Orders and cancels are written before the client sends them; while the
 * node replays its journal they are checked against it and not sent again (the venue has them). Reports come
 * back to the node (see `live.ts`), which journals each one as an input before the kernel acts on it.
 */
import type { EpochMs, ExecutionReport, Order, ReconcilingClient, ReportSink } from '../../core/index.ts'
import type { ExecutionClient } from '../../execution/index.ts'
import type { NodeJournal } from './node-journal.ts'
import { NODE_RECORD, orderRecord } from './records.ts'

/** The kernel's side of a remote venue. */
export class JournaledRemoteVenue implements ExecutionClient {
  readonly venue: string
  private sink: ReportSink | undefined
  /** Submit attempts that reached the client (a kill-switch test counts them). */
  sent = 0

  constructor(
    readonly client: ReconcilingClient,
    private readonly journal: NodeJournal,
    private readonly onReport: (r: ExecutionReport) => void,
  ) {
    this.venue = client.venue
  }

  /** Delivers a report the node has journaled to the kernel. */
  deliver(r: ExecutionReport): void {
    this.sink!(r)
  }

  connect(sink: ReportSink): void {
    this.sink = sink
    this.client.connect((r) => this.onReport(r))
  }

  submit(order: Readonly<Order>, time: EpochMs): void {
    if (this.journal.output(NODE_RECORD.submit, orderRecord(order))) {
      this.sent++
      this.client.submit(order, time)
    }
  }

  cancel(clientOrderId: string, time: EpochMs): void {
    if (this.journal.output(NODE_RECORD.cancel, { clientOrderId })) this.client.cancel(clientOrderId, time)
  }
}
