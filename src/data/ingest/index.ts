/** Import orchestration: file → parse → validate → store, with a report and progress. */
export { importCsvFile, importFile } from './import-csv.ts'
export type { ImportReport } from './import-csv.ts'
export { inspectCsvFile } from './inspect-csv.ts'
export type { ImportOptions, ImportProgress, Inspection } from './inspect-csv.ts'
export { hintsFromFileName } from './file-name.ts'
export type { FileNameHints } from './file-name.ts'
export { BUNDLED_DATASETS } from './bundled.ts'
export type { BundledDataset } from './bundled.ts'
