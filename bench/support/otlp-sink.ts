import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OtlpSink {
  /** OTEL_EXPORTER_OTLP_ENDPOINT for the system under test. */
  endpoint: string;
  /** Export requests and their bytes, so the report can say tracing really exported. */
  received(): { requests: number; bytes: number };
  close(): Promise<void>;
}

/**
 * A collector that takes every OTLP/HTTP export and keeps only its count: the
 * system pays the full cost of making, batching, encoding and sending its
 * spans, and nothing is stored. An empty 200 is a valid OTLP answer (an
 * ExportTraceServiceResponse with no partial success).
 */
export async function startOtlpSink(): Promise<OtlpSink> {
  let requests = 0;
  let bytes = 0;
  const server = createServer((request, response) => {
    request.on('data', (chunk: Buffer) => (bytes += chunk.length));
    request.on('end', () => {
      requests++;
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    received: () => ({ requests, bytes }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
