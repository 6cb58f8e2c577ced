import { z } from 'zod'

export const loggingSection = z
  .strictObject({
    level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    /** Human-readable output; default: only when stdout is a terminal. */
    pretty: z.boolean().optional(),
  })
  .describe('Structured JSON logs (pino)')
