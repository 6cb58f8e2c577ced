/**
 * `kestrel execution plan --algo almgren-chriss|twap|vwap --quantity X --periods N --horizon T …`: the schedule
 * (holdings x_0..x_N and trades n_1..n_N) with its expected cost and variance, as a table or, with `--json`,
 * `{ "trajectory", "trades", "expectedCost", "variance" }` in the units of Almgren & Chriss (2000).
 */
import { PLAN_ALGOS, planExecution, type ProfileSource } from '../../app/execution.ts'
import { KestrelError, parseTimeBounds } from '../../core/index.ts'
import { choiceFlag, numberFlag, storeSelection, type StoreFlags } from '../flags.ts'
import { printJson, stdout, table } from '../util.ts'

interface PlanFlags extends StoreFlags {
  algo: string
  quantity?: string
  periods?: string
  horizon?: string
  sigma?: string
  eta?: string
  gamma?: string
  epsilon?: string
  lambda?: string
  lot?: string
  profile?: string
  timeframe?: string
  from?: string
  to?: string
  calendar?: string
  json?: boolean
}

const required = (v: string | undefined, flag: string): string => {
  if (v === undefined) throw new KestrelError('USAGE', `${flag} is required`, { flag })
  return v
}

function profileSource(o: PlanFlags): ProfileSource | undefined {
  const fromStore = o.db !== undefined || o.config !== undefined || o.lake !== undefined
  if (!o.profile) {
    if (fromStore) throw new KestrelError('USAGE', '--db needs --profile <instrument>', {})
    return undefined
  }
  if (!fromStore) {
    if (o.from || o.to) throw new KestrelError('USAGE', '--from and --to select a stored range: give --db', {})
    return { csv: o.profile, timeframe: o.timeframe }
  }
  if (!o.timeframe) throw new KestrelError('USAGE', '--profile from a store needs --timeframe (e.g. 1m)', {})
  return {
    store: { ...storeSelection(o), instrument: o.profile, timeframe: o.timeframe },
    ...parseTimeBounds(o.from, o.to),
  }
}

export async function run(o: PlanFlags): Promise<void> {
  const algo = choiceFlag(o.algo, '--algo', PLAN_ALGOS, '|')
  const positive = { min: 0, minExclusive: true }
  const nonNegative = { min: 0 }
  const plan = await planExecution({
    algo,
    quantity: numberFlag(required(o.quantity, '--quantity'), '--quantity', nonNegative),
    periods: numberFlag(required(o.periods, '--periods'), '--periods', { min: 1, integer: true }),
    horizon: numberFlag(o.horizon ?? (algo === 'vwap' ? '1' : required(o.horizon, '--horizon')), '--horizon', positive),
    sigma: numberFlag(o.sigma, '--sigma', nonNegative),
    eta: numberFlag(o.eta, '--eta', nonNegative),
    gamma: numberFlag(o.gamma, '--gamma', nonNegative),
    epsilon: numberFlag(o.epsilon, '--epsilon', nonNegative),
    lambda: numberFlag(o.lambda, '--lambda', nonNegative),
    lot: numberFlag(o.lot, '--lot', nonNegative),
    profile: profileSource(o),
    calendar: o.calendar,
  })
  if (o.json)
    return printJson({
      trajectory: plan.trajectory,
      trades: plan.trades,
      expectedCost: plan.expectedCost,
      variance: plan.variance,
    })
  const rows = plan.trajectory.map((x, k) => ({
    k,
    't (days)': +(k * plan.tau).toPrecision(12),
    'holdings x_k': +x.toPrecision(12),
    'trade n_k': k === 0 ? '' : +plan.trades[k - 1]!.toPrecision(12),
    ...(plan.profile ? { 'profile share': k === 0 ? '' : `${(plan.profile.shares[k - 1]! * 100).toFixed(2)}%` } : {}),
  }))
  stdout().write(table(rows))
  const facts = [
    `algo ${plan.algo}, τ = ${+plan.tau.toPrecision(6)} day(s)${plan.kappa === undefined ? '' : `, κ = ${plan.kappa.toPrecision(6)}/day`}`,
    ...(plan.profile
      ? [`profile: ${plan.profile.source}, ${plan.profile.sessions} ${plan.profile.calendar} session(s)`]
      : []),
    `expected cost E = $${plan.expectedCost.toFixed(2)}`,
    `variance V = ${plan.variance.toPrecision(6)} $², std = $${Math.sqrt(plan.variance).toFixed(2)}`,
  ]
  stdout().write(facts.join('\n') + '\n')
}
