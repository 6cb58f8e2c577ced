import type { Command } from 'commander'
import { registerDataFetch } from './data-fetch.ts'
import { registerDataResample } from './data-resample.ts'

/** Registers `kestrel data ...`. */
export function registerData(program: Command): void {
  const data = program.command('data').description('import, validate, list, resample, export and fetch market data')
  registerDataFetch(data)
  registerDataResample(data)
}
