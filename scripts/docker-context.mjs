// The Docker build context as the builder sees it: every file under the
// context root except what .dockerignore excludes, with Docker's rules:
// patterns are relative to the root, `*` and `?` stop at `/`, `**` crosses
// directories, a pattern that matches a directory excludes everything in it,
// `!pattern` re-includes, and the last matching line wins.
//
//   node scripts/docker-context.mjs <context-dir> <copy-to>
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function toRegExp(pattern) {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      i++;
      if (pattern[i + 1] === '/') {
        i++;
        out += '(?:.*/)?';
      } else out += '.*';
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1) throw new Error(`.dockerignore: unclosed [ in ${pattern}`);
      let cls = pattern.slice(i + 1, end);
      if (cls.startsWith('!')) cls = `^${cls.slice(1)}`;
      out += `[${cls}]`;
      i = end;
    } else if (c === '\\' && i + 1 < pattern.length) out += `\\${pattern[++i]}`;
    else out += c.replace(/[.+^${}()|/]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

export function readDockerignore(root) {
  const file = join(root, '.dockerignore');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const exception = line.startsWith('!');
      const cleaned = posix.normalize((exception ? line.slice(1) : line).trim()).replace(/^\/+/, '').replace(/\/+$/, '');
      return { exception, regex: toRegExp(cleaned), source: line };
    });
}

/** A path is excluded when the last pattern that matches it, or one of its parent directories, is not a `!` one. */
export function isExcluded(rules, path) {
  const parts = path.split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let excluded = false;
  for (const rule of rules) {
    if (candidates.some((candidate) => rule.regex.test(candidate))) excluded = !rule.exception;
  }
  return excluded;
}

/** Relative paths of every file the context holds. */
export function contextFiles(root) {
  const rules = readDockerignore(root);
  // Without a `!` line nothing inside an excluded directory can come back, so it is not walked (node_modules).
  const canReinclude = rules.some((rule) => rule.exception);
  const files = [];
  const walk = (relative) => {
    for (const entry of readdirSync(join(root, relative), { withFileTypes: true })) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      const excluded = isExcluded(rules, path);
      if (entry.isDirectory()) {
        if (!excluded || canReinclude) walk(path);
      } else if (!excluded) files.push(path);
    }
  };
  walk('');
  return files.sort();
}

export function copyContext(root, target) {
  const files = contextFiles(root);
  for (const file of files) {
    mkdirSync(dirname(join(target, file)), { recursive: true });
    cpSync(join(root, file), join(target, file), { verbatimSymlinks: true });
  }
  return files;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [root, target] = process.argv.slice(2);
  if (!root || !target) {
    process.stderr.write('usage: node scripts/docker-context.mjs <context-dir> <copy-to>\n');
    process.exit(2);
  }
  const files = copyContext(resolve(root), resolve(target));
  process.stdout.write(`${files.length} files copied\n`);
}
