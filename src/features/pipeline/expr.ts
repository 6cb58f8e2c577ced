/**
 * The feature expression language: `logret(close, 1)`, `zscore(rsi(close, 14), 50)`, `wick.upperWick`.
 * Arithmetic with the usual precedence: `(close - bbands(20,2,2).lowerband) / (bbands(20,2,2).upperband - ...)`.
 *   sum := product (('+' | '-') product)*;  product := unary (('*' | '/') unary)*;  unary := ('-' | '+') unary | primary
 *   primary := number | '(' sum ')' | name ('(' [sum (',' sum)*] ')')? ('.' output)?
 * Series arguments come before numeric ones. Arithmetic on two numbers is folded (`sma(close, 2*10)`); division
 * by zero is NaN (0/0 and x/0 alike: a feature is undefined there, never ±Infinity), and NaN propagates.
 */
import { KestrelError } from '../../core/index.ts'

/** An arithmetic operator. */
export type ArithOp = '+' | '-' | '*' | '/'

/** A parsed expression. */
export type Expr =
  | { readonly type: 'num'; readonly value: number }
  | { readonly type: 'ref'; readonly name: string; readonly output?: string }
  | { readonly type: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly output?: string }
  | { readonly type: 'bin'; readonly op: ArithOp; readonly left: Expr; readonly right: Expr }
  | { readonly type: 'neg'; readonly arg: Expr }

/** `a op b` of two numbers, as the pipeline computes it: division by zero is NaN. */
export function arith(op: ArithOp, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b
    case '-':
      return a - b
    case '*':
      return a * b
    default:
      return b === 0 ? NaN : a / b
  }
}

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
    if (!m)
      return fail(i >= text.length ? 'expected a name, a number or (, got the end' : 'expected a name, a number or (')
    i += m[0].length
    return m[0]
  }
  /** Folds arithmetic on two numbers into one (`2 * 10` is the number 20). */
  const bin = (op: ArithOp, left: Expr, right: Expr): Expr =>
    left.type === 'num' && right.type === 'num'
      ? { type: 'num', value: arith(op, left.value, right.value) }
      : { type: 'bin', op, left, right }
  const sum = (): Expr => {
    let e = product()
    for (;;) {
      ws()
      const c = text[i]
      if (c !== '+' && c !== '-') return e
      i++
      e = bin(c, e, product())
    }
  }
  const product = (): Expr => {
    let e = unary()
    for (;;) {
      ws()
      const c = text[i]
      if (c !== '*' && c !== '/') return e
      i++
      e = bin(c, e, unary())
    }
  }
  const unary = (): Expr => {
    ws()
    if (text[i] === '-') {
      i++
      const a = unary()
      return a.type === 'num' ? { type: 'num', value: -a.value } : { type: 'neg', arg: a }
    }
    if (text[i] === '+') {
      i++
      return unary()
    }
    return primary()
  }
  const primary = (): Expr => {
    ws()
    const num = /^(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(text.slice(i))
    if (num) {
      i += num[0].length
      return { type: 'num', value: Number(num[0]) }
    }
    if (text[i] === '(') {
      i++
      const e = sum()
      ws()
      if (text[i] !== ')') fail("expected ')'")
      i++
      return e
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
          args.push(sum())
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
      ws()
      if (text[i] === '.') {
        i++
        return { type: 'call', name: name.toLowerCase(), args, output: ident() }
      }
      return { type: 'call', name: name.toLowerCase(), args }
    }
    if (text[i] === '.') {
      i++
      return { type: 'ref', name, output: ident() }
    }
    return { type: 'ref', name }
  }
  const e = sum()
  ws()
  if (i < text.length) fail(text[i] === ')' ? "unmatched ')'" : 'unexpected text')
  return e
}

/** Canonical text of an expression (spaces removed), used to name and share anonymous nodes. */
export function exprText(e: Expr): string {
  if (e.type === 'num') return String(e.value)
  if (e.type === 'ref') return e.output ? `${e.name}.${e.output}` : e.name
  if (e.type === 'neg') return `(-${exprText(e.arg)})`
  if (e.type === 'bin') return `(${exprText(e.left)}${e.op}${exprText(e.right)})`
  const c = `${e.name}(${e.args.map(exprText).join(',')})`
  return e.output ? `${c}.${e.output}` : c
}
