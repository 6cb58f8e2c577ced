export * from './load.ts'
export * from './schema.ts'
export { storageSection } from './sections/storage.ts'
export { loggingSection } from './sections/logging.ts'
export { dataSection, datasetSchema } from './sections/data.ts'
export { backtestSection, fxPairBase } from './sections/backtest.ts'
export { accountSection, type AccountSectionConfig } from './sections/account.ts'
export { strategiesSection, strategySchema, type StrategyConfig } from './sections/strategies.ts'
export { riskSection, type RiskAction } from './sections/risk.ts'
export {
  frameworkSection,
  volumeProfileSchema,
  type FrameworkConfig,
  type VolumeProfileConfig,
} from './sections/framework.ts'
export { scanSection, optionsFlowParamsSchema, insiderParamsSchema, type ScanConfig } from './sections/scan.ts'
export { pipelineSection, type PipelineConfig } from './sections/pipeline.ts'
export { liveSection, paperSection } from './sections/node.ts'
