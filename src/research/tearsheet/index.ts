/** Self-contained HTML tearsheets and their JSON form. */
export * from './series.ts'
export * from './svg.ts'
export * from './tearsheet-json.ts'
export * from './render-tearsheet.ts'
