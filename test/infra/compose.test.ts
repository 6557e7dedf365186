import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { checkLayout, loadConfig } from '../../infra/config.js';
import { ROLES } from '../../infra/runner.js';
import { SERVICE_NAMES } from '../../infra/services.js';

/**
 * docker-compose.yml without a Docker engine: parsed as Compose parses it
 * (YAML merge keys, `include:`, `${VAR:-default}` / `${VAR:?message}`), then
 * held to the rules a layout of partitioned services needs: every reference
 * resolves, every process of the layout has one SERVICE_INSTANCES, each
 * service has exactly the instances 1..N, one projector, and each process's
 * environment is one our own config accepts in the production layout.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string | number | boolean | null>;
  depends_on?: Record<string, { condition: string }> | string[];
  volumes?: string[];
  ports?: string[];
  profiles?: string[];
}
interface ComposeFile {
  include?: string[];
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

function load(file: string): ComposeFile {
  return parse(readFileSync(join(root, file), 'utf8'), { merge: true }) as ComposeFile;
}

const main = load('docker-compose.yml');
const included = (main.include ?? []).map(load);
const services: Record<string, ComposeService> = Object.assign({}, ...included.map((file) => file.services), main.services);
const volumes = new Set(Object.keys(Object.assign({}, ...included.map((file) => file.volumes ?? {}), main.volumes ?? {})));

/** What a container's process sees: Compose's interpolation, with the required variables set as an operator must. */
const operator: Record<string, string> = { QUEUE_SECRET: 'queue-secret', DATA_PLATFORM_URL: 'https://platform.example', ADMIN_TOKEN: 'admin' };
function interpolate(value: string, set: Record<string, string> = operator): string {
  return value.replace(/\$\{([A-Z_]+)(?::([-?])([^}]*))?\}/g, (_, name: string, kind: string | undefined, rest: string | undefined) => {
    if (set[name] !== undefined) return set[name]!;
    if (kind === '?') throw new Error(`${name} is required and the test did not set it`);
    return rest ?? '';
  });
}
function environmentOf(service: ComposeService, set: Record<string, string> = operator): Record<string, string> {
  // The image's ENV (Dockerfile), then the service's.
  const env: Record<string, string> = { NODE_ENV: 'production', HOST: '0.0.0.0', DATA_DIR: '/home/node/data' };
  for (const [name, value] of Object.entries(service.environment ?? {})) env[name] = interpolate(String(value ?? ''), set);
  return env;
}

/** The role a container runs, from `main.js --service <role>`; undefined for any other command. */
function roleOf(service: ComposeService): string | undefined {
  const command = service.command ?? [];
  if (command[1] !== 'dist/infra/main.js') return undefined;
  const at = command.indexOf('--service');
  return at === -1 ? 'all' : command[at + 1];
}

const processes = Object.entries(services)
  .map(([name, service]) => ({ name, service, role: roleOf(service) }))
  .filter((entry): entry is { name: string; service: ComposeService; role: string } => entry.role !== undefined);

t.test('every reference resolves: depends_on, named volumes, mounted files', async (t) => {
  for (const [name, service] of Object.entries(services)) {
    const needs = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
    for (const other of needs) t.ok(services[other], `${name} depends on ${other}, which exists`);
    for (const mount of service.volumes ?? []) {
      const source = mount.split(':')[0]!;
      if (source.startsWith('.') || source.startsWith('/')) t.ok(existsSync(join(root, source)), `${name} mounts ${source}, which is in the repository`);
      else t.ok(volumes.has(source), `${name} uses volume ${source}, which is declared`);
    }
  }
});

t.test('images are pinned, and no two containers publish the same host port', async (t) => {
  for (const [name, service] of Object.entries(services)) {
    const image = service.image ?? '';
    t.match(image, /^[^:]+:[\w.-]+$/, `${name}: an image with a tag`);
    t.notMatch(image, /:latest$/, `${name}: not :latest`);
  }
  const published = Object.entries(services).flatMap(([name, service]) => (service.ports ?? []).map((port) => ({ name, host: port.split(':')[0] })));
  t.equal(new Set(published.map((p) => p.host)).size, published.length, JSON.stringify(published));
  t.same(published.filter((p) => p.host === '3000').map((p) => p.name), ['lb'], 'clients reach the api through the load balancer only');
});

t.test('partitioned services: one SERVICE_INSTANCES for the layout, instances 1..N of each, one projector', async (t) => {
  t.same(new Set(processes.map((p) => p.role)), new Set(ROLES), 'every role runs, and nothing runs every role at once');
  const counts = new Set(processes.map((p) => environmentOf(p.service).SERVICE_INSTANCES));
  t.same([...counts], ['2'], 'every process of the layout has the same SERVICE_INSTANCES, 2');
  for (const role of [...SERVICE_NAMES, 'api']) {
    const indexes = processes.filter((p) => p.role === role).map((p) => Number(environmentOf(p.service).SERVICE_INSTANCE));
    t.same(indexes.sort((x, y) => x - y), [1, 2], `${role}: instances 1 and 2 of 2`);
  }
  t.equal(processes.filter((p) => p.role === 'projector').length, 1, 'one projector: each read model has one writer');
});

t.test('each process starts with its environment: our config accepts it in the production layout', async (t) => {
  for (const { name, service, role } of processes) {
    const config = loadConfig(environmentOf(service));
    t.doesNotThrow(() => checkLayout(config, new Set([role]), false), `${name}: nothing its role needs is missing`);
    t.ok(config.eventStoreUrl && config.mongodbUrl, `${name}: on EventStoreDB and MongoDB, not a container's own SQLite`);
  }
  const secrets = new Set(processes.filter((p) => p.role === 'api').map((p) => String(p.service.environment?.QUEUE_SECRET)));
  t.equal(secrets.size, 1, 'every api container signs with the same QUEUE_SECRET');
});

t.test('the load balancer sends to exactly the api containers, on their port', async (t) => {
  const lb = services.lb!;
  const mount = (lb.volumes ?? []).find((volume) => volume.includes('/etc/nginx/'));
  t.ok(mount, 'the load balancer mounts its configuration from the repository');
  const conf = readFileSync(join(root, mount!.split(':')[0]!), 'utf8');
  const upstream = [...conf.matchAll(/^\s*server\s+([\w-]+):(\d+)\b/gm)].map(([, host, port]) => ({ host, port }));
  const apis = processes.filter((p) => p.role === 'api');
  t.same(upstream.map((u) => u.host).sort(), apis.map((p) => p.name).sort(), 'one upstream server per api container');
  for (const { host, port } of upstream) t.equal(port, environmentOf(services[host!]!).PORT, `${host} listens where the load balancer sends`);
  t.match(conf, /^\s*listen\s+3000;/m, 'it listens on the published port');
  t.same(Object.keys(lb.depends_on ?? {}).sort(), apis.map((p) => p.name).sort(), 'it starts after the api containers');
});

t.test('tracing: off by default; with --profile tracing and the documented endpoint every process exports to Jaeger', async (t) => {
  for (const { name, service } of processes) {
    t.equal(loadConfig(environmentOf(service)).tracing.exporter, 'none', `${name}: no tracing unless asked for`);
  }
  const text = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
  const documented = /OTEL_EXPORTER_OTLP_ENDPOINT=(http:\/\/([\w-]+):(\d+))\s+docker compose --profile tracing/.exec(text);
  if (!t.ok(documented, 'the file says how to switch tracing on')) return;
  const [, endpoint, host, port] = documented!;
  const viewer = services[host!];
  if (!t.ok(viewer, `${host} is a service of the file`)) return;
  t.same(viewer!.profiles, ['tracing'], `${host} starts only with --profile tracing`);
  t.match(viewer!.image, /^jaegertracing\/jaeger:\d+\.\d+\.\d+$/, `${host}: Jaeger, at a pinned version`);
  t.equal(port, '4318', 'OTLP over HTTP, which the exporter speaks');
  t.ok((viewer!.ports ?? []).some((p) => p.startsWith('16686:')), 'the Jaeger UI is published on the host');
  for (const { name, service } of processes) {
    const config = loadConfig(environmentOf(service, { ...operator, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint! }));
    t.equal(config.tracing.exporter, 'otlp', `${name}: exports its spans`);
    t.equal(environmentOf(service, { ...operator, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint! }).OTEL_EXPORTER_OTLP_ENDPOINT, endpoint, `${name}: to ${endpoint}`);
  }
});
