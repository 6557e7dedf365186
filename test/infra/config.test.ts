import t from 'tap';
import { checkLayout, ConfigError, isProductionLayout, loadConfig, missingForProduction } from '../../infra/config.js';

const every = true;
const split = false;

t.test('the production layout: NODE_ENV=production, or roles split over processes', async (t) => {
  t.equal(loadConfig({}).nodeEnv, 'development', 'NODE_ENV defaults to development');
  t.equal(isProductionLayout(loadConfig({}), every), false, 'npm start: every role in one process, no NODE_ENV');
  t.equal(isProductionLayout(loadConfig({ NODE_ENV: 'production' }), every), true, 'the image sets NODE_ENV=production');
  t.equal(isProductionLayout(loadConfig({}), split), true, 'one process per service');
  t.equal(isProductionLayout(loadConfig({ NODE_ENV: 'test' }), every), false, 'only "production" counts');
});

t.test('what is missing depends on the roles a process runs', async (t) => {
  const bare = loadConfig({});
  t.same(missingForProduction(bare, new Set(['payment', 'point'])), [], 'neither is used by these roles');
  t.match(missingForProduction(bare, new Set(['api'])), [/^QUEUE_SECRET: /]);
  t.match(missingForProduction(bare, new Set(['dataplatform'])), [/^DATA_PLATFORM_URL: /]);
  t.equal(missingForProduction(bare, new Set(['api', 'dataplatform'])).length, 2);
  const given = loadConfig({ QUEUE_SECRET: 's', DATA_PLATFORM_URL: 'http://platform.example' });
  t.same(missingForProduction(given, new Set(['api', 'dataplatform'])), [], 'both set');
  t.match(missingForProduction(loadConfig({ QUEUE_SECRET: '' }), new Set(['api'])), [/^QUEUE_SECRET/], 'an empty value counts as unset');
});

t.test('checkLayout refuses with one message naming the layout and every missing variable', async (t) => {
  const all = new Set(['api', 'dataplatform']);
  t.doesNotThrow(() => checkLayout(loadConfig({}), all, every), 'npm start keeps generating a secret and running the mock');
  const error = (() => {
    try {
      checkLayout(loadConfig({ NODE_ENV: 'production' }), all, every);
    } catch (caught) {
      return caught;
    }
    return undefined;
  })();
  t.type(error, ConfigError);
  t.match((error as Error).message, /^refusing to start: the production layout \(NODE_ENV=production\) needs these set:\n  QUEUE_SECRET: .*\n  DATA_PLATFORM_URL: /);
  t.throws(() => checkLayout(loadConfig({}), new Set(['dataplatform']), split), /one process per service \(--service\)[^]*DATA_PLATFORM_URL/);
  t.doesNotThrow(() => checkLayout(loadConfig({ NODE_ENV: 'production', QUEUE_SECRET: 's', DATA_PLATFORM_URL: 'http://p' }), all, every));
});

t.test('user identity: one way to check user tokens, a secret long enough for HS256, a key-set URL that is one', async (t) => {
  const bare = loadConfig({});
  t.equal(bare.userJwtSecret, undefined, 'unset: the demo, user ids taken as sent');
  t.equal(bare.userJwksUrl, undefined);
  const secret = 's'.repeat(32);
  t.equal(loadConfig({ USER_JWT_SECRET: secret }).userJwtSecret, secret);
  t.throws(() => loadConfig({ USER_JWT_SECRET: 's'.repeat(31) }), { name: 'ConfigError', message: /USER_JWT_SECRET must be at least 32 characters, got 31/ });
  t.throws(() => loadConfig({ USER_JWT_SECRET: secret, USER_JWKS_URL: 'https://id.example/jwks.json' }), /not both/);
  t.equal(loadConfig({ USER_JWKS_URL: 'https://id.example/jwks.json' }).userJwksUrl, 'https://id.example/jwks.json');
  t.throws(() => loadConfig({ USER_JWKS_URL: 'id.example/jwks.json' }), /USER_JWKS_URL must be an http\(s\) URL/);
  t.throws(() => loadConfig({ USER_JWKS_URL: 'file:///etc/jwks.json' }), /USER_JWKS_URL must be an http\(s\) URL/);
  const checked = loadConfig({ USER_JWT_SECRET: secret, USER_JWT_ISSUER: 'https://id.example/', USER_JWT_AUDIENCE: 'concerts' });
  t.same([checked.userJwtIssuer, checked.userJwtAudience], ['https://id.example/', 'concerts']);
});

t.test('tracing is off unless an OTEL_* variable asks for it', async (t) => {
  t.same(loadConfig({}).tracing, { exporter: 'none', sampler: 'parentbased_always_on', samplerArg: 1 }, 'the defaults');
  t.equal(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: '' }).tracing.exporter, 'none', 'an empty endpoint counts as unset');
  t.equal(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318' }).tracing.exporter, 'otlp', 'an endpoint switches OTLP on');
  t.equal(loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://jaeger:4318/v1/traces' }).tracing.exporter, 'otlp', 'so does a traces endpoint');
  t.equal(loadConfig({ OTEL_TRACES_EXPORTER: 'Console' }).tracing.exporter, 'console', 'named, in any case');
  t.equal(loadConfig({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318' }).tracing.exporter, 'none', 'none wins over an endpoint');
  t.equal(loadConfig({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' }).tracing.exporter, 'none', 'OTEL_SDK_DISABLED wins over everything');
  t.same(loadConfig({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }).tracing, {
    exporter: 'none',
    sampler: 'parentbased_traceidratio',
    samplerArg: 0.25,
  });
  t.throws(() => loadConfig({ OTEL_TRACES_EXPORTER: 'zipkin' }), ConfigError, 'an exporter this system does not ship is refused');
  t.throws(() => loadConfig({ OTEL_TRACES_SAMPLER: 'sometimes' }), ConfigError);
  t.throws(() => loadConfig({ OTEL_TRACES_SAMPLER_ARG: '2' }), ConfigError);
});
