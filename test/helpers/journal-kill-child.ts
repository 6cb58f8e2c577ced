/** Appends to the journal at argv[2] until killed, printing each sequence number once `append` returned. */
import { FileJournal } from '../../src/engine/journal/file-journal.ts'

const j = FileJournal.open(process.argv[2]!)
process.stdout.write('ready\n')
let i = 0
const step = (): void => {
  for (let k = 0; k < 50; k++) {
    const r = j.append('submit', { i: ++i, pad: 'x'.repeat(i % 200) }, Date.now())
    process.stdout.write(`${r.seq}\n`)
  }
  setImmediate(step)
}
step()
