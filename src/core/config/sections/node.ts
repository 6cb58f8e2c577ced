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

// A url, or a `${ENV:NAME}` reference to one (substituted when the config is loaded to run).
const httpUrl = z
  .string()
  .regex(/^(https?:\/\/[^\s]+|.*\$\{ENV:[A-Za-z_][A-Za-z0-9_]*\}.*)$/, 'expected an http(s):// url')
const wsUrl = z.string().regex(/^(wss?:\/\/[^\s]+|.*\$\{ENV:[A-Za-z_][A-Za-z0-9_]*\}.*)$/, 'expected a ws(s):// url')

/** `live:`: the node trading at a venue (or at `kestrel venue serve`, which speaks the venue's protocol). */
export const liveSection = z
  .strictObject({
    nodeId,
    journal: z.string().default('.kestrel/live.journal').describe('The journal file (relative to the config)'),
    durability,
    control: z.string().optional().describe('Path of the control socket (default: the journal path with .sock)'),
    venue: z
      .strictObject({
        protocol: z.enum(['alpaca']).describe('The venue protocol (alpaca: the trading API and its streams)'),
        url: httpUrl.describe('Trading API base url, e.g. https://paper-api.alpaca.markets'),
        dataUrl: wsUrl.optional().describe('Market-data stream url (default: the trading url with ws(s) and /v2/iex)'),
        keyId: z.string().min(1).describe('API key id (use ${ENV:APCA_API_KEY_ID})'),
        secretKey: z.string().min(1).describe('API secret (use ${ENV:APCA_API_SECRET_KEY})'),
      })
      .describe('Where the node trades'),
    instruments: z
      .array(
        z.strictObject({
          symbol: z.string().min(1),
          assetClass: z
            .enum(['equity', 'crypto', 'crypto_perp', 'fx', 'metal', 'future', 'index', 'etf'])
            .default('equity'),
          timeframe: z.string().default('1m'),
          tickSize: z.number().positive().optional(),
          lotSize: z.number().positive().optional(),
        }),
      )
      .min(1)
      .describe('What the node subscribes to and trades'),
    reconcileEveryMs: z
      .number()
      .int()
      .min(0)
      .default(30_000)
      .describe('Reconcile with the venue this often (0: at start and after reconnects)'),
    ackTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(5000)
      .describe('Ask the venue about an order unacknowledged this long'),
    staleFeedMs: z.number().int().positive().optional().describe('Halt new risk when a feed has had no bar this long'),
    onStop: z
      .enum(['cancel', 'leave'])
      .default('cancel')
      .describe('On SIGINT/SIGTERM: cancel working orders or leave them'),
  })
  .describe('Live trading: the node, its venue and its instruments')
