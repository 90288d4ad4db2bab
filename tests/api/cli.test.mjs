// The `jiandu` command on both backends, against the database of a running demo server:
// --help everywhere, user add (password on stdin, exit codes), audit verify (OK, then broken by
// editing and by deleting rows directly in the database, naming the first broken event).
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { test } from 'node:test'
import { promisify } from 'node:util'

import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { BIN, forEachBackend, freshIdNumber } from './harness.mjs'

const execFileP = promisify(execFile)

// Runs the CLI; resolves with {code, stdout, stderr} whatever the exit code.
function jiandu(args, { env = process.env, input = '' } = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, args, { env, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    p.stdout.on('data', (d) => { stdout += d })
    p.stderr.on('data', (d) => { stderr += d })
    p.on('error', reject)
    p.on('exit', (code) => resolve({ code, stdout, stderr }))
    p.stdin.end(input)
  })
}

// Runs one SQL statement directly on the server's database, bypassing Jiandu.
async function tamper(server, sql) {
  const [flag, target] = server.storeArgs
  if (flag === '--data') {
    await execFileP('sqlite3', [`${target}/jiandu.db`, sql])
  } else {
    await execFileP('psql', [target, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql])
  }
}

test('every command explains itself with --help and exits 0', async () => {
  for (const args of [['--help'], ['serve', '--help'], ['demo', '--help'], ['migrate', '--help'],
    ['audit', 'verify', '--help'], ['user', 'add', '--help'], ['import', '--help'],
    ['rules', 'run', '--help']]) {
    const r = await jiandu(args)
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`)
    assert.match(r.stdout, /Usage:/, args.join(' '))
  }
  const bad = await jiandu(['frobnicate'])
  assert.equal(bad.code, 2)
})

forEachBackend('jiandu command', (ctx) => {
  const env = () => ctx.server.env
  const store = () => ctx.server.storeArgs

  test('migrate is idempotent on an existing database', async () => {
    const r = await jiandu(['migrate', ...store()], { env: env() })
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /Migrations applied/)
  })

  test('user add reads the password from stdin and maps errors to exit codes', async () => {
    const add = (username, extra = {}) => jiandu(['user', 'add', ...store(),
      '--org', extra.org ?? '420322', '--role', extra.role ?? 'viewer', '--username', username],
    { env: env(), input: `${extra.password ?? 'cli-created-2026'}\n` })
    const ok = await add('cli.viewer')
    assert.equal(ok.code, 0, ok.stderr)
    assert.match(ok.stdout, /Created user cli\.viewer \(viewer\) in 郧西县/)
    // The password is usable at once over HTTP.
    const c = ctx.server.client()
    assert.equal((await c.login('cli.viewer', 'cli-created-2026')).status, 200)
    assert.equal((await add('cli.viewer')).code, 5)                         // conflict
    assert.equal((await add('cli.other', { role: 'root' })).code, 2)        // invalid role
    assert.equal((await add('cli.other', { org: 'nowhere' })).code, 2)      // unknown org
    const weak = await add('cli.other', { password: 'short' })
    assert.equal(weak.code, 2)
    assert.match(weak.stderr, /password/)
    assert.doesNotMatch(weak.stderr, /short/, 'the password must not be echoed')
    // An account linked to a person record (a committee member who votes through it).
    const linked = await jiandu(['user', 'add', ...store(), '--org', '420322', '--role', 'deputy',
      '--username', 'cli.member', '--person-id', '1'], { env: env(), input: 'cli-created-2026\n' })
    assert.equal(linked.code, 0, linked.stderr)
    const m = ctx.server.client()
    assert.equal((await m.login('cli.member', 'cli-created-2026')).status, 200)
    assert.equal(m.session.user.person_id, 1)
    const unknown = await jiandu(['user', 'add', ...store(), '--org', '420322', '--role', 'deputy',
      '--username', 'cli.nobody', '--person-id', '99999999'],
    { env: env(), input: 'cli-created-2026\n' })
    assert.equal(unknown.code, 2)
    assert.match(unknown.stderr, /person_id/)
  })

  test('import shows its stages, stores a version, and refuses a bad file naming line and column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jiandu-cli-import-'))
    // "身份证号,姓名,死亡日期" and "李四" in GB18030, as Excel saves CSV in China.
    const header = Buffer.from('c9edb7ddd6a4bac52cd0d5c3fb2ccbc0cdf6c8d5c6da0d0a', 'hex')
    const li = Buffer.from('c0eecbc4', 'hex')
    const rows = [header]
    for (let i = 0; i < 3; i++) rows.push(Buffer.from(`${freshIdNumber()},`), li, Buffer.from(',2024-03-10\r\n'))
    const good = join(dir, 'people.csv')
    writeFileSync(good, Buffer.concat(rows))
    const args = (file, ...extra) => ['import', ...store(), '--dataset', 'people', '--file', file,
      '--org', '420322', ...extra]

    const ok = await jiandu(args(good, '--progress', 'always'), { env: env() })
    assert.equal(ok.code, 0, ok.stderr)
    assert.match(ok.stdout, /Imported people version (\d+): 3 rows, 0 quarantined \(csv, GB18030, sha256 [0-9a-f]{64}\)/)
    const version = Number(/version (\d+)/.exec(ok.stdout)[1])
    // Every stage leaves one line, in order, even the ones too short for the bar to draw.
    const stages = [...ok.stderr.matchAll(/^ {2}(reading|decoding|parsing|merging|storing) /gm)].map((m) => m[1])
    assert.deepEqual(stages, ['reading', 'decoding', 'parsing', 'merging', 'storing'], ok.stderr)
    assert.match(ok.stderr, /^ {2}reading 0\.0 MB in \d+\.\d s/m)
    assert.ok(!ok.stderr.includes('\r'), 'no redraws into a pipe')
    // Not a terminal and no --progress: no progress lines.
    const quiet = await jiandu(args(good), { env: env() })
    assert.equal(quiet.code, 0, quiet.stderr)
    assert.equal(quiet.stderr, '')
    assert.match(quiet.stdout, new RegExp(`version ${version + 1}:`))

    const bad = join(dir, 'bad.csv')
    writeFileSync(bad, `id_number,name,death_date\n${freshIdNumber()},王五,2023-02-30\n`)
    const refused = await jiandu(args(bad), { env: env() })
    assert.equal(refused.code, 2)
    assert.match(refused.stderr, /line 2 death_date: /)
    const after = await jiandu(args(good), { env: env() })
    assert.match(after.stdout, new RegExp(`version ${version + 2}:`), 'the refused file stored no version')

    const badMode = await jiandu(args(good, '--progress', 'sometimes'), { env: env() })
    assert.equal(badMode.code, 2)
    assert.match(badMode.stderr, /--progress/)
    const missing = await jiandu(args(join(dir, 'nope.csv')), { env: env() })
    assert.equal(missing.code, 2)
    assert.match(missing.stderr, /--file.*cannot read/)
  })

  test('audit verify passes, then names the first edited or deleted event', async () => {
    const ok = await jiandu(['audit', 'verify', ...store()], { env: env() })
    assert.equal(ok.code, 0, ok.stderr)
    const m = /audit chain OK: (\d+) events verified/.exec(ok.stdout)
    assert.ok(m, ok.stdout)
    assert.ok(Number(m[1]) > 100)

    await tamper(ctx.server, "UPDATE audit_event SET action = 'person.delete' WHERE seq = 40")
    const edited = await jiandu(['audit', 'verify', ...store()], { env: env() })
    assert.equal(edited.code, 1)
    assert.match(edited.stdout, /BROKEN at event 40: event content does not match its hash/)

    await tamper(ctx.server, 'DELETE FROM audit_event WHERE seq = 7')
    const deleted = await jiandu(['audit', 'verify', ...store()], { env: env() })
    assert.equal(deleted.code, 1)
    assert.match(deleted.stdout, /BROKEN at event 7: event 7 is missing/)
  })
})
