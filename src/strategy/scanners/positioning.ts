/**
 * Layer-2 scanners of positioning: option prints and insiders' own trades. Both read a source by time and see a
 * record from its `time` on (the print, the filing's publication), never before; an alert is stamped at the
 * record that raised it and uses that record and earlier ones only.
 *
 * - options flow: a print is unusual when its premium is at least `minPremium`, its series' day volume is at
 *   least `minVolumeOi` × its open interest (an open interest of 0 counts as any volume above it), and its side
 *   holds at least `minSkew` of the symbol's option premium over the trailing `window` (call premium for a call,
 *   put premium for a put; the print and those before it in time and file order). Score: squash of the geometric mean of premium / minPremium and
 *   (volume / open interest) / minVolumeOi, so a print just at both thresholds scores 0.5.
 * - insider cluster: open-market purchases (code `P`) of one symbol. When a filing brings the distinct buyers of
 *   the trailing `window` to `minInsiders` with a total value of at least `minValue`, the cluster is an alert;
 *   the symbol re-arms once a purchase is filed more than `window` after that alert. Score: squash of the
 *   geometric mean of insiders / minInsiders and value / minValue (insiders alone when minValue is 0).
 */
import {
  KestrelError,
  insiderParamsSchema,
  isoUtc,
  optionsFlowParamsSchema,
  parseTimeframe,
  type InsiderSource,
  type InsiderTransaction,
  type OptionsFlowRecord,
  type OptionsFlowSource,
} from '../../core/index.ts'
import type { z } from 'zod'
import { symbolOf, type CatalystContext, type CatalystScanner } from './catalyst.ts'
import { checkScannerName, compareAlerts, squash, type ScannerAlert } from './types.ts'

/** Options of {@link optionsFlowScanner}: the config's parameters (see `scan.layer2.optionsFlow`) and a name. */
export type OptionsFlowOptions = z.input<typeof optionsFlowParamsSchema> & { readonly name?: string }

/** Options of {@link insiderClusterScanner}: the config's parameters (see `scan.layer2.insider`) and a name. */
export type InsiderClusterOptions = z.input<typeof insiderParamsSchema> & { readonly name?: string }

function parseParams<S extends z.ZodType>(schema: S, raw: unknown, where: string): z.output<S> {
  const r = schema.safeParse(raw)
  if (r.success) return r.data
  const issues = r.error.issues.map((i) => `${[where, ...i.path].join('.')}: ${i.message}`)
  throw new KestrelError('PARAM_INVALID', issues.join('; '), { where, issues })
}

/** The universe's instrument ids by instrument id and by symbol. */
function universeIds(ctx: CatalystContext): Map<string, string> {
  const ids = new Map<string, string>()
  for (const s of ctx.series) {
    ids.set(s.instrumentId, s.instrumentId)
    if (!ids.has(symbolOf(s.instrumentId))) ids.set(symbolOf(s.instrumentId), s.instrumentId)
  }
  return ids
}

/** The options-flow scanner over `source` (see the module comment). */
export function optionsFlowScanner(source: OptionsFlowSource, opts: OptionsFlowOptions = {}): CatalystScanner {
  const { name: rawName, ...raw } = opts
  const name = checkScannerName(rawName ?? 'options-flow')
  const p = parseParams(optionsFlowParamsSchema, raw, name)
  const windowMs = parseTimeframe(p.window).ms
  const sides = new Set(p.sides)
  return {
    name,
    async scan(ctx) {
      const ids = universeIds(ctx)
      const bySymbol = new Map<string, OptionsFlowRecord[]>()
      for await (const r of source.read(ctx.from - windowMs, ctx.to)) {
        const id = ids.get(r.symbol)
        if (id === undefined) continue
        let l = bySymbol.get(id)
        if (!l) bySymbol.set(id, (l = []))
        l.push(r)
      }
      const out: ScannerAlert[] = []
      for (const [instrumentId, prints] of bySymbol) {
        let lo = 0
        let calls = 0
        let puts = 0
        for (let i = 0; i < prints.length; i++) {
          const r = prints[i]!
          if (r.right === 'call') calls += r.premium
          else puts += r.premium
          while (prints[lo]!.time <= r.time - windowMs) {
            const old = prints[lo++]!
            if (old.right === 'call') calls -= old.premium
            else puts -= old.premium
          }
          if (r.time < ctx.from) continue
          const total = calls + puts
          const share = total > 0 ? (r.right === 'call' ? calls : puts) / total : 0
          const volOi = r.openInterest > 0 ? r.volume / r.openInterest : r.volume > 0 ? Infinity : 0
          if (!sides.has(r.side) || r.premium < p.minPremium || volOi < p.minVolumeOi || share < p.minSkew) continue
          const a = p.minPremium > 0 ? r.premium / p.minPremium : Infinity
          const b = p.minVolumeOi > 0 ? volOi / p.minVolumeOi : Infinity
          out.push({
            time: r.time,
            instrumentId,
            scanner: name,
            score: squash(Math.sqrt(a * b)),
            details: {
              direction: r.right === 'call' ? 'bullish' : 'bearish',
              right: r.right,
              strike: r.strike,
              expiry: isoUtc(r.expiry).slice(0, 10),
              side: r.side,
              premium: r.premium,
              volumeOi: Number.isFinite(volOi) ? volOi : null,
              skew: share,
              record: r.id,
              source: source.name,
            },
          })
        }
      }
      return out.sort(compareAlerts)
    },
  }
}

/** The insider-cluster scanner over `source` (see the module comment). */
export function insiderClusterScanner(source: InsiderSource, opts: InsiderClusterOptions = {}): CatalystScanner {
  const { name: rawName, ...raw } = opts
  const name = checkScannerName(rawName ?? 'insider-cluster')
  const p = parseParams(insiderParamsSchema, raw, name)
  const windowMs = parseTimeframe(p.window).ms
  return {
    name,
    async scan(ctx) {
      const ids = universeIds(ctx)
      const bySymbol = new Map<string, InsiderTransaction[]>()
      for await (const r of source.read(ctx.from - windowMs, ctx.to)) {
        if (r.code !== 'P') continue
        const id = ids.get(r.symbol)
        if (id === undefined) continue
        let l = bySymbol.get(id)
        if (!l) bySymbol.set(id, (l = []))
        l.push(r)
      }
      const out: ScannerAlert[] = []
      for (const [instrumentId, buys] of bySymbol) {
        let armedAfter = -Infinity
        let lo = 0
        for (let i = 0; i < buys.length; i++) {
          const r = buys[i]!
          while (buys[lo]!.time <= r.time - windowMs) lo++
          if (r.time < ctx.from || r.time <= armedAfter) continue
          const inWindow = buys.slice(lo, i + 1)
          const insiders = [...new Set(inWindow.map((x) => x.insider))].sort()
          const value = inWindow.reduce((s, x) => s + x.shares * x.price, 0)
          if (insiders.length < p.minInsiders || value < p.minValue) continue
          armedAfter = r.time + windowMs
          const x = insiders.length / p.minInsiders
          out.push({
            time: r.time,
            instrumentId,
            scanner: name,
            score: squash(p.minValue > 0 ? Math.sqrt(x * (value / p.minValue)) : x),
            details: {
              insiders: insiders.length,
              purchases: inWindow.length,
              value,
              names: insiders.join('; '),
              roles: [...new Set(inWindow.map((b) => b.role))].sort().join('; '),
              since: isoUtc(inWindow[0]!.time),
              source: source.name,
            },
          })
        }
      }
      return out.sort(compareAlerts)
    },
  }
}
