/** The default risk engine until real limits land: accepts every order and cancel. */
import { ACCEPT, type RiskDecision, type RiskEngine } from './types.ts'

/** Accepts everything. Still a real stage: every order goes through it on its way to execution. */
export class PassThroughRiskEngine implements RiskEngine {
  readonly name = 'pass-through'
  check(): RiskDecision {
    return ACCEPT
  }
}
