// Line coverage of src/ from the V8 coverage that a test run leaves in a directory (NODE_V8_COVERAGE).
// Every process writes its own file there: the test runner, each test file's process and every child a test
// spawns (a `bin/kestrel.mjs` run with KESTREL_FROM_SOURCE=1 included). tsx compiles with inline source maps,
// which Node keeps in those files, so c8 maps the counts back to the .ts lines.
// The denominator is every .ts file under src/ (files no test loads count at 0 %), less the tests, the
// test-only helpers listed in EXCLUDE and the files that hold types only (no code runs there to count).
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative, resolve } from 'node:path'

/** The build fails when the line coverage of src/ is below this (percent). */
export const LINES_THRESHOLD = 85

/** Not product code: test and fuzz files, and the helpers only tests and benchmarks import. */
export const EXCLUDE = [
  'src/**/*.test.ts',
  'src/**/*.fuzz.ts',
  'src/cli/testing.ts',
  'src/engine/testing.ts',
  'src/data/resample/bundled-bars.testkit.ts',
  'src/features/indicators/test-data.ts',
  'src/features/pipeline/fixtures.ts',
  'src/research/metrics/test-vectors.ts',
]

function sources(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) sources(p, out)
    else if (name.endsWith('.ts') && !/\.(test|fuzz)\.ts$/.test(name)) out.push(p)
  }
  return out
}

/**
 * The files under `dir` that compile to nothing (interfaces and type aliases only), by the same compiler that
 * tsx runs the tests with: esbuild, resolved from tsx.
 */
export function typeOnlyFiles(dir = 'src') {
  const { transformSync } = createRequire(createRequire(import.meta.url).resolve('tsx'))('esbuild')
  return sources(dir).filter((f) => {
    const { code } = transformSync(readFileSync(f, 'utf8'), { loader: 'ts', format: 'esm', sourcefile: f })
    return code.trim() === ''
  })
}

/**
 * Writes the reports to `reportsDir` (coverage.txt: every file; coverage-summary.json; lcov.info), prints the
 * files below the threshold and the total, and returns whether the total meets the threshold. `partial`: the
 * run was a subset of the tests, so the total is only printed, not held to the threshold (returns true).
 */
export async function reportCoverage({ tempDir, reportsDir, threshold = LINES_THRESHOLD, partial = false }) {
  const { Report } = (await import('c8')).default
  const typeOnly = typeOnlyFiles('src')
  const report = new Report({
    tempDirectory: tempDir,
    reportsDirectory: reportsDir,
    reporter: ['text', 'json-summary', 'lcovonly'],
    reporterOptions: { text: { file: 'coverage.txt', maxCols: 120 } },
    all: true,
    src: ['src'],
    include: ['src/**'],
    exclude: [...EXCLUDE, ...typeOnly],
    extension: ['.ts'],
    excludeNodeModules: true,
    omitRelative: true,
    mergeAsync: true,
  })
  await report.run()

  const summary = JSON.parse(readFileSync(join(reportsDir, 'coverage-summary.json'), 'utf8'))
  const root = resolve('.')
  const below = Object.entries(summary)
    .filter(([file, s]) => file !== 'total' && s.lines.pct < threshold)
    .map(([file, s]) => ({
      file: relative(root, file),
      pct: s.lines.pct,
      covered: s.lines.covered,
      total: s.lines.total,
    }))
    .sort((a, b) => a.pct - b.pct || b.total - a.total || a.file.localeCompare(b.file))
  const total = summary.total.lines
  const width = Math.max(4, ...below.map((b) => b.file.length))
  const row = (file, pct, covered, lines) =>
    `${file.padEnd(width)}  ${String(pct).padStart(7)}  ${String(covered).padStart(7)}  ${String(lines).padStart(7)}`
  const out = [
    '',
    `line coverage of src/ (threshold ${threshold} %; not counted: tests, fuzz files, ${EXCLUDE.length - 2} test helpers, ${typeOnly.length} type-only files)`,
  ]
  if (below.length > 0) {
    out.push(`files below ${threshold} % lines: ${below.length}`, row('file', 'lines %', 'covered', 'lines'))
    for (const b of below) out.push(row(b.file, b.pct.toFixed(2), b.covered, b.total))
  } else {
    out.push(`no file below ${threshold} % lines`)
  }
  out.push(row('total', total.pct.toFixed(2), total.covered, total.total))
  out.push(
    `full report: ${relative(root, join(reportsDir, 'coverage.txt'))} (every file), coverage-summary.json, lcov.info`,
  )
  const ok = partial || total.pct >= threshold
  if (partial) out.push('a subset of the tests: the total covers only what they reach, the threshold is not applied')
  else if (ok) out.push(`coverage ok: ${total.pct.toFixed(2)} % of lines >= ${threshold} %`)
  else out.push(`coverage too low: ${total.pct.toFixed(2)} % of lines < ${threshold} %`)
  console.log(out.join('\n'))
  return ok
}
