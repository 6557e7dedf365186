import t from 'tap';
import { readFileSync } from 'node:fs';
import { createConfig, lintFromString, type NormalizedProblem } from '@redocly/openapi-core';
import { startTestSystem } from '../support/system.js';
import { startTestApi } from '../support/api.js';
import { clientSchema, SCHEMA_FILE, servedDocument } from '../../client/generate.js';

/** A problem on one line: rule, where, what; enough to fix it without running the linter by hand. */
const line = (p: NormalizedProblem) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer ?? '?'}: ${p.message}`;

t.test('the served OpenAPI document passes the recommended lint ruleset with no error and no warning', async (t) => {
  const system = await startTestSystem(t);
  const api = await startTestApi(t, system);
  const response = await api.inject({ method: 'GET', url: '/docs/json' });
  t.equal(response.statusCode, 200);
  // The recommended ruleset as published with the pinned linter, nothing switched off.
  const config = await createConfig({ extends: ['recommended'] });
  const problems = await lintFromString({ source: response.body, absoluteRef: 'openapi.json', config });
  const errors = problems.filter((p) => p.severity === 'error');
  const warnings = problems.filter((p) => p.severity === 'warn');
  t.same(errors.map(line), [], 'no errors');
  t.same(warnings.map(line), [], 'no warnings');
});

t.test('the committed typed client is the one the served document generates', async (t) => {
  const fresh = await clientSchema(await servedDocument());
  const committed = readFileSync(SCHEMA_FILE, 'utf8');
  // One assertion on the whole text: a diff of a 1,700-line file would drown the instruction.
  t.ok(fresh === committed, `${SCHEMA_FILE} is up to date; if not, run npm run client:generate and commit it`);
});
