/** Self-contained HTML tearsheets and their JSON form. */
export * from './series.ts'
export * from './svg.ts'
export * from './time-labels.ts'
export * from './tearsheet-parts.ts'
export * from './tearsheet-json.ts'
export * from './render-tearsheet.ts'
