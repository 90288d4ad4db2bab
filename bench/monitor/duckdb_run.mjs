// The DuckDB side of bench/monitor (the peer; benchmark-only, never part of the product).
// Usage: node duckdb_run.mjs <job.json>
// job.json: {"threads": 2, "repeat": 3,
//            "load": [{"name": "people", "sql": ["CREATE TABLE ... read_csv(...)"]}, ...],
//            "rules": [{"id": "R01", "sql": "SELECT ..."}, ...]}
// Prints one JSON object per line: {"phase":"load","name":...,"seconds":...,"rows":...} and
// {"phase":"rule","id":...,"seconds":<best of repeat>,"count":<warnings>}. Each rule's result is
// materialised inside DuckDB (CREATE TEMP TABLE … AS <rule SQL>: every output column computed,
// as Jiandu builds every warning; a bare SELECT count(*) would let DuckDB prune the columns),
// and only its row count crosses into JavaScript (timed apart from the query).
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const instance = await DuckDBInstance.create(':memory:', { threads: String(job.threads ?? 2) });
const con = await instance.connect();
const now = () => Number(process.hrtime.bigint()) / 1e9;
const emit = (o) => process.stdout.write(JSON.stringify(o) + '\n');

emit({ phase: 'version', version: (await (await con.runAndReadAll('SELECT version()')).getRows())[0][0] });
for (const table of job.load) {
  const t0 = now();
  for (const sql of table.sql) await con.run(sql);
  const seconds = now() - t0;
  const rows = await con.runAndReadAll(`SELECT count(*) FROM "${table.name}"`);
  emit({ phase: 'load', name: table.name, seconds, rows: Number(rows.getRows()[0][0]) });
}
for (const rule of job.rules) {
  let best = Infinity;
  let count = -1;
  for (let i = 0; i < (job.repeat ?? 1); ++i) {
    const t0 = now();
    await con.run(`CREATE OR REPLACE TEMP TABLE rule_result AS ${rule.sql}`);
    const seconds = now() - t0;
    const reader = await con.runAndReadAll('SELECT count(*) FROM rule_result');
    count = Number(reader.getRows()[0][0]);
    await con.run('DROP TABLE rule_result');
    best = Math.min(best, seconds);
  }
  emit({ phase: 'rule', id: rule.id, seconds: best, count });
}
