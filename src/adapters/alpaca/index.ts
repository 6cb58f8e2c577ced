/** The Alpaca venue: execution client, data client, and the local server that speaks its protocol. */
export * from './protocol.ts'
export * from './faults.ts'
export { AlpacaApiError, AlpacaRest, type AlpacaRestOptions, type RequestOptions } from './rest.ts'
export * from './execution-client.ts'
export { OrderReports, type TrackedOrder } from './order-reports.ts'
export { TradeStream, reconnectDelay, type TradeStreamOptions } from './trade-stream.ts'
export * from './data-client.ts'
export { AlpacaVenueServer, type AlpacaServerOptions, type ServerAddress } from './server.ts'
