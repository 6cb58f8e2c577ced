/** The `paper:` and `live:` sections: what only a trading node needs; strategies, account and risk stay top level. */
import { z } from 'zod'

const nodeId = z
  .string()
  .regex(/^[A-Za-z0-9]{1,8}$/, 'expected 1 to 8 letters or digits')
  .default('N1')
  .describe('Node id: the first part of every client order id, so two nodes on one account never collide')

const durability = z
  .enum(['os', 'fsync', 'batch'])
  .default('os')
  .describe(
    'When a journal record counts as written: os (survives a process kill), fsync (survives a power cut), batch (fsync per 256 records or 20 ms)',
  )

const speed = z
  .string()
  .regex(/^(max|\d+(\.\d+)?x)$/, 'expected max or a multiple such as 1x or 10x')
  .default('max')
  .describe('Replay speed: max, or a multiple of real time (1x, 10x)')

/** `paper:`: the live node with the simulated exchange as its venue. */
export const paperSection = z
  .strictObject({
    nodeId,
    journal: z.string().default('.kestrel/paper.journal').describe('The journal file (relative to the config)'),
    durability,
    speed,
    control: z.string().optional().describe('Path of the control socket (default: the journal path with .sock)'),
  })
  .describe(
    'Paper trading: the backtest section fixes the replayed data and the fill model unless --replay names other data',
  )
