/** Corporate actions: split and dividend back-adjustment from a `symbol,date,type,value` file. */
export { parseCorporateActions, readCorporateActions } from './actions.ts'
export type { CorporateAction, CorporateActionsFile } from './actions.ts'
export { backAdjust } from './back-adjust.ts'
export type { Adjustment, AppliedAction } from './back-adjust.ts'
export { adjustStoredSeries } from './adjust-stored.ts'
export type { RecordedAdjustment } from './adjust-stored.ts'
export { SUSPECTED_SPLIT, actionsRowFor, splitWarnings, unexplainedSplits } from './split-warnings.ts'
export type { SplitWarning, SplitWarningContext } from './split-warnings.ts'
