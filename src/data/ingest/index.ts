/** Import orchestration: file → parse → validate → store, with a report and progress. */
export { importCsvFile, importFile } from './import-csv.ts'
export type { ImportReport } from './store-inspection.ts'
export { storeInspection } from './store-inspection.ts'
export { inspectCsvFile } from './inspect-csv.ts'
export type { Inspection } from './inspect-csv.ts'
export type { ImportOptions, ImportProgress } from './options.ts'
export { inspectSeries } from './inspect-series.ts'
export type { ParsedSeries, SeriesInspection } from './inspect-series.ts'
export {
  barFileFormat,
  importParquetFile,
  inspectBarFile,
  inspectParquetFile,
  isFeatherPath,
  isParquetPath,
  parseParquetFile,
} from './import-series.ts'
export { fileInstrument } from './options.ts'
export { fileStem } from './file-name.ts'
export { hintsFromFileName } from './file-name.ts'
export type { FileNameHints } from './file-name.ts'
export { BUNDLED_DATASETS } from './bundled.ts'
export type { BundledDataset } from './bundled.ts'
