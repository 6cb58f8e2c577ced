/**
 * The API report: every name `kestrel` exports, with its signature as the shipped declarations (`dist/*.d.ts`)
 * state it, grouped by layer and sorted by name; comments and private members left out. Also lists exported
 * names without a doc comment. `test/package/api-report.test.ts` compares the report with the committed one.
 *
 *   npm run api:report                                         build, then write api/kestrel.api.md
 *   node --import tsx scripts/api-report.ts [--write|--check]  from an existing build; --check exits 1 on a diff
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

export const REPO = fileURLToPath(new URL('..', import.meta.url))
/** Where the committed report lives, relative to the repository. */
export const REPORT_PATH = 'api/kestrel.api.md'
export const UPDATE_COMMAND = 'npm run api:report'

export interface ApiReport {
  /** The report's text, as committed in {@link REPORT_PATH}. */
  readonly text: string
  /** Exported names whose declaration (or, for a re-export of another package, whose export) has no doc comment. */
  readonly undocumented: readonly string[]
  readonly names: readonly string[]
}

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed })

function hasDocComment(node: ts.Node): boolean {
  const sf = node.getSourceFile()
  let n: ts.Node | undefined = node
  // A variable's doc comment sits on its statement.
  if (ts.isVariableDeclaration(n)) n = n.parent?.parent
  const ranges = n ? (ts.getLeadingCommentRanges(sf.text, n.getFullStart()) ?? []) : []
  return ranges.some((r) => sf.text.startsWith('/**', r.pos) && sf.text.slice(r.pos + 3, r.end - 2).trim() !== '')
}

function isPrivate(m: ts.ClassElement): boolean {
  if (m.name && ts.isPrivateIdentifier(m.name)) return true
  return ts.canHaveModifiers(m) && (ts.getModifiers(m) ?? []).some((x) => x.kind === ts.SyntaxKind.PrivateKeyword)
}

function print(node: ts.Node): string {
  let n = node
  if (ts.isClassDeclaration(n)) {
    n = ts.factory.updateClassDeclaration(
      n,
      n.modifiers,
      n.name,
      n.typeParameters,
      n.heritageClauses,
      n.members.filter((m) => !isPrivate(m)),
    )
  }
  if (ts.isVariableDeclaration(n)) {
    const list = n.parent
    const kw = list.flags & ts.NodeFlags.Const ? 'const' : list.flags & ts.NodeFlags.Let ? 'let' : 'var'
    return `${kw} ${printer.printNode(ts.EmitHint.Unspecified, n, n.getSourceFile())};`
  }
  return printer
    .printNode(ts.EmitHint.Unspecified, n, node.getSourceFile())
    .replace(/^(export )?(declare )?/, '')
    .replace(/ {4}/g, '  ')
}

/** The package an external declaration comes from (`zod`, `@scope/name`). */
function packageOf(file: string): string {
  const parts = file.split('/node_modules/').pop()!.split('/')
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!
}

/** Builds the report from the declarations under `distDir` (`dist/index.d.ts` is the entry). */
export function apiReport(distDir = join(REPO, 'dist')): ApiReport {
  const entry = join(distDir, 'index.d.ts')
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  })
  const checker = program.getTypeChecker()
  const source = program.getSourceFile(entry)
  if (!source) throw new Error(`${entry}: not found (run npm run build)`)
  const moduleSymbol = checker.getSymbolAtLocation(source)!
  const layers = new Map<string, string[]>()
  const undocumented: string[] = []
  const names: string[] = []
  const exports = checker.getExportsOfModule(moduleSymbol).sort((a, b) => (a.name < b.name ? -1 : 1))
  for (const s of exports) {
    names.push(s.name)
    const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s
    const decls = target.declarations ?? []
    const file = decls[0]?.getSourceFile().fileName ?? ''
    let layer: string
    let body: string
    let documented: boolean
    if (file.includes('/node_modules/')) {
      // A re-export of another package: its own docs are that package's; ours sit on the export statement.
      layer = 'other packages'
      body = `export { ${s.name} } from '${packageOf(file)}'`
      documented = (s.declarations ?? []).some((d) => hasDocComment(ts.isExportSpecifier(d) ? d.parent.parent : d))
    } else {
      const rel = relative(distDir, file).split(sep)
      layer = rel.length > 1 ? rel[0]! : '(root)'
      body = decls.map(print).join('\n')
      documented = decls.some(hasDocComment)
    }
    if (!documented) undocumented.push(s.name)
    if (!layers.has(layer)) layers.set(layer, [])
    layers.get(layer)!.push(body)
  }
  const parts = [
    '# API report: `kestrel`',
    '',
    `Every exported name and its signature, from the built declarations (\`dist/index.d.ts\`). Generated by`,
    `\`${UPDATE_COMMAND}\`; do not edit. ${names.length} names.`,
  ]
  for (const [layer, bodies] of [...layers].sort(([a], [b]) => (a < b ? -1 : 1))) {
    parts.push('', `## ${layer}`, '', '```ts', bodies.join('\n\n'), '```')
  }
  return { text: parts.join('\n') + '\n', undocumented, names }
}

/** A line diff of `want` (committed) against `got` (current): `-` lines only committed, `+` lines only current. */
export function lineDiff(want: string, got: string, context = 2): string {
  const a = want.split('\n')
  const b = got.split('\n')
  // The common head and tail are left out; a longest common subsequence over the lines between.
  let head = 0
  while (head < a.length && head < b.length && a[head] === b[head]) head++
  let tail = 0
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++
  const x = a.slice(head, a.length - tail)
  const y = b.slice(head, b.length - tail)
  const lcs = Array.from({ length: x.length + 1 }, () => new Uint32Array(y.length + 1))
  for (let i = x.length - 1; i >= 0; i--)
    for (let j = y.length - 1; j >= 0; j--)
      lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)
  const ops: { op: ' ' | '-' | '+'; line: string }[] = a.slice(Math.max(0, head - context), head).map((line) => ({
    op: ' ',
    line,
  }))
  let i = 0
  let j = 0
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      ops.push({ op: ' ', line: x[i]! })
      i++
      j++
    } else if (j < y.length && (i === x.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      ops.push({ op: '+', line: y[j]! })
      j++
    } else {
      ops.push({ op: '-', line: x[i]! })
      i++
    }
  }
  for (const line of a.slice(a.length - tail, a.length - tail + context)) ops.push({ op: ' ', line })
  const near = ops.map((_, k) => ops.slice(Math.max(0, k - context), k + context + 1).some((o) => o.op !== ' '))
  const out: string[] = []
  ops.forEach((o, k) => {
    if (near[k]) out.push(`${o.op} ${o.line}`)
    else if (near[k - 1]) out.push('  ...')
  })
  return out.join('\n')
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const report = apiReport()
  const path = join(REPO, REPORT_PATH)
  if (process.argv.includes('--write')) {
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, report.text)
    console.log(`${REPORT_PATH}: ${report.names.length} names`)
  } else if (process.argv.includes('--check')) {
    const committed = readFileSync(path, 'utf8')
    if (committed !== report.text) {
      console.error(`${REPORT_PATH} differs from the build:\n${lineDiff(committed, report.text)}`)
      console.error(`update it with: ${UPDATE_COMMAND}`)
      process.exitCode = 1
    }
  } else process.stdout.write(report.text)
  if (report.undocumented.length > 0) {
    console.error(`exported without a doc comment: ${report.undocumented.join(', ')}`)
    process.exitCode = 1
  }
}
