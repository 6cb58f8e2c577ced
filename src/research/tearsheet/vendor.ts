/**
 * The chart libraries the tearsheet inlines, read once from their npm packages: uPlot (MIT) for series and
 * TradingView Lightweight Charts (Apache-2.0) for prices. Inlined whole, so the report opens without a network.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)

/** Inline `<script>` / `<style>` bodies of the chart libraries and their versions. */
export interface VendorAssets {
  readonly uplotJs: string
  readonly uplotCss: string
  readonly lightweightChartsJs: string
  readonly versions: { readonly uplot: string; readonly lightweightCharts: string }
}

let cached: VendorAssets | undefined

function pkgDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`))
}

/** Makes script text safe inside `<script>`: no `</script` can close the element early. */
export function inlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--')
}

/** The libraries' files (cached after the first call). */
export function vendorAssets(): VendorAssets {
  if (cached) return cached
  const u = pkgDir('uplot')
  const l = pkgDir('lightweight-charts')
  const version = (d: string) =>
    (JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) as { version: string }).version
  cached = {
    uplotJs: readFileSync(join(u, 'dist/uPlot.iife.min.js'), 'utf8'),
    uplotCss: readFileSync(join(u, 'dist/uPlot.min.css'), 'utf8'),
    lightweightChartsJs: readFileSync(join(l, 'dist/lightweight-charts.standalone.production.js'), 'utf8'),
    versions: { uplot: version(u), lightweightCharts: version(l) },
  }
  return cached
}
