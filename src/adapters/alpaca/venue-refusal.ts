/** A refusal of the local server: the HTTP status and Alpaca error body to answer with. */
export class VenueRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message)
  }
}
