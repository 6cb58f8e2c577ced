/** Quoting text from a file in a message: a few dozen characters at most, never a whole file. */

/**
 * `text` as a JSON string of at most `max` characters of it; longer text is cut and says how long it was
 * (`"[[1700000000000,0.05,…" (12,813 characters)`), so a file without line breaks is never printed whole.
 */
export function quoteText(text: string, max = 80): string {
  if (text.length <= max) return JSON.stringify(text)
  return `${JSON.stringify(`${text.slice(0, max)}…`)} (${text.length.toLocaleString('en-US')} characters)`
}
