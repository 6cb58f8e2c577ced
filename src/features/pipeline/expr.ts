/**
 * The feature expression language: `logret(close, 1)`, `zscore(rsi(close, 14), 50)`, `wick.upperWick`.
 * expr := number | ref | call; ref := name ('.' output)?; call := name '(' [expr (',' expr)*] ')'.
 * Series arguments come before numeric ones.
 */
import { KestrelError } from '../../core/index.ts'

/** A parsed expression. */
export type Expr =
  | { readonly type: 'num'; readonly value: number }
  | { readonly type: 'ref'; readonly name: string; readonly output?: string }
  | { readonly type: 'call'; readonly name: string; readonly args: readonly Expr[] }

/** Parses `text`; `where` (a key path such as `features.vol`) prefixes error messages. */
export function parseExpr(text: string, where: string): Expr {
  let i = 0
  const fail = (msg: string): never => {
    throw new KestrelError('SPEC_INVALID', `${where}: ${msg} at column ${i + 1} of ${JSON.stringify(text)}`, {
      where,
      text,
      column: i + 1,
    })
  }
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++
  }
  const ident = (): string => {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))
    if (!m) return fail('expected a name')
    i += m[0].length
    return m[0]
  }
  const expr = (): Expr => {
    ws()
    const num = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(text.slice(i))
    if (num) {
      i += num[0].length
      return { type: 'num', value: Number(num[0]) }
    }
    const name = ident()
    ws()
    if (text[i] === '(') {
      i++
      const args: Expr[] = []
      ws()
      if (text[i] === ')') i++
      else {
        for (;;) {
          args.push(expr())
          ws()
          if (text[i] === ',') {
            i++
            continue
          }
          if (text[i] === ')') {
            i++
            break
          }
          fail("expected ',' or ')'")
        }
      }
      return { type: 'call', name: name.toLowerCase(), args }
    }
    if (text[i] === '.') {
      i++
      return { type: 'ref', name, output: ident() }
    }
    return { type: 'ref', name }
  }
  const e = expr()
  ws()
  if (i < text.length) fail('unexpected text')
  return e
}

/** Canonical text of an expression (spaces removed), used to name and share anonymous nodes. */
export function exprText(e: Expr): string {
  if (e.type === 'num') return String(e.value)
  if (e.type === 'ref') return e.output ? `${e.name}.${e.output}` : e.name
  return `${e.name}(${e.args.map(exprText).join(',')})`
}
