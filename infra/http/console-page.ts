import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';

/**
 * The operator console: one HTML page at /console, its modules from the
 * package's console/ folder and its three libraries (Preact, htm,
 * eventsource-parser) from node_modules, as the browser's ES modules with no
 * build step. Nothing comes from anywhere else, so the page works on a
 * machine with no internet; the Content-Security-Policy says so to the browser.
 * The page is public (it holds no data); everything it shows comes from the
 * admin routes, which want the token the operator signs in with.
 */

const require = createRequire(import.meta.url);

/** The nearest folder above `file` with a package.json: its package's root. */
function packageOf(file: string): string {
  let dir = dirname(file);
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${file}`);
    dir = parent;
  }
  return dir;
}

/** This file runs from the sources (tests) or from dist/: either way the console's files are beside package.json. */
const packageRoot = () => packageOf(fileURLToPath(import.meta.url));

/** From the package's entry point, since not every package exports its package.json. */
const packageDir = (name: string) => packageOf(require.resolve(name));

const VENDOR = {
  preact: packageDir('preact'),
  htm: packageDir('htm'),
  'eventsource-parser': packageDir('eventsource-parser'),
} as const;

const importMap = JSON.stringify({
  imports: {
    preact: '/console/vendor/preact/dist/preact.mjs',
    'preact/hooks': '/console/vendor/preact/hooks/dist/hooks.mjs',
    htm: '/console/vendor/htm/dist/htm.mjs',
    'eventsource-parser/stream': '/console/vendor/eventsource-parser/dist/stream.js',
  },
});

/** The import map is the page's one inline script: allowed by its hash, nothing else inline. */
const importMapHash = createHash('sha256').update(importMap).digest('base64');

const CSP = [
  "default-src 'none'",
  `script-src 'self' 'sha256-${importMapHash}'`,
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Concert operator console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/app/console.css">
<script type="importmap">${importMap}</script>
<script type="module" src="/console/app/main.js"></script>
</head>
<body><main id="console">Loading the console…</main></body>
</html>
`;

export function consolePage(): FastifyPluginAsync {
  return async (app) => {
    app.get('/console', { schema: { hide: true } }, async (_request, reply) =>
      reply.type('text/html; charset=utf-8').header('content-security-policy', CSP).header('cache-control', 'no-cache').send(page),
    );
    await app.register(fastifyStatic, { root: join(packageRoot(), 'console'), prefix: '/console/app/', decorateReply: false, index: false });
    for (const [name, root] of Object.entries(VENDOR)) {
      await app.register(fastifyStatic, { root, prefix: `/console/vendor/${name}/`, decorateReply: false, index: false });
    }
  };
}
