/**
 * What the run's meta-strategies publish about themselves, collected from the bus for the report: an
 * `ensemble`'s member weights (`signal.<id>.weights`) and a `regime-switch`'s regime changes
 * (`signal.<id>.regime`). Several updates at one time (one per instrument) keep the last.
 */
import { isoUtc, type EventBus } from '../core/index.ts'
import type { EnsembleWeights, RegimeChange } from '../strategy/index.ts'
import type { MemberWeightsInput } from '../research/index.ts'

/** Collects the meta-strategies' records of one run from its bus. */
export class MetaRecords {
  private readonly weights = new Map<string, EnsembleWeights[]>()
  private readonly regimes: (RegimeChange & { strategy: string })[] = []
  private readonly stop: () => void

  constructor(bus: EventBus) {
    this.stop = bus.subscribe<unknown>('signal.>', (payload, topic) => {
      const p = payload as Partial<EnsembleWeights & RegimeChange> | null
      if (p === null || typeof p !== 'object' || typeof p.time !== 'number') return
      if (topic.endsWith('.weights') && p.weights && typeof p.weights === 'object') {
        const id = topic.slice('signal.'.length, -'.weights'.length)
        let list = this.weights.get(id)
        if (!list) this.weights.set(id, (list = []))
        if (list.at(-1)?.time === p.time) list[list.length - 1] = p as EnsembleWeights
        else list.push(p as EnsembleWeights)
      } else if (topic.endsWith('.regime') && typeof p.regime === 'number' && typeof p.member === 'string') {
        this.regimes.push({ ...(p as RegimeChange), strategy: topic.slice('signal.'.length, -'.regime'.length) })
      }
    })
  }

  /** Stops collecting. */
  close(): void {
    this.stop()
  }

  /** The JSON report's fields: `ensembleWeights` and `regimeChanges`, each only when there is one. */
  json(): Record<string, unknown> {
    const multi = this.weights.size > 1
    const weights = [...this.weights].flatMap(([strategy, list]) =>
      list.map((w) => ({ time: isoUtc(w.time), ...(multi ? { strategy } : {}), weights: w.weights })),
    )
    return {
      ...(weights.length > 0 ? { ensembleWeights: weights } : {}),
      ...(this.regimes.length > 0 ? { regimeChanges: this.regimes.map((r) => ({ ...r, time: isoUtc(r.time) })) } : {}),
    }
  }

  /** The tearsheet's member weights, one entry per ensemble. */
  tearsheet(): MemberWeightsInput[] {
    return [...this.weights].map(([strategy, list]) => {
      const members = Object.keys(list[0]?.weights ?? {})
      return {
        strategy,
        time: Float64Array.from(list, (w) => w.time),
        weights: Object.fromEntries(members.map((m) => [m, Float64Array.from(list, (w) => w.weights[m] ?? NaN)])),
      }
    })
  }
}
