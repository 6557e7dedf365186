import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { BSON, type Document } from 'mongodb';

/**
 * Just enough of a MongoDB server, on the wire protocol, for the real driver
 * to connect to a standalone and send commands whose replies a test scripts:
 * write errors, write concern errors, failed commands, a dropped connection.
 * It stores nothing; it exists because those replies cannot be provoked on
 * demand from a real standalone server, and what the driver makes of them is
 * exactly what the read store must get right.
 */

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;

export interface WireCommand {
  name: string;
  /** The collection a write names (`update: 'docs'`), or the command's argument. */
  target: unknown;
  body: Document;
  /** OP_MSG document sequences (the driver sends `updates` of a bulk this way). */
  sequences: Record<string, Document[]>;
}

/** A reply document, 'hang-up' to drop the connection instead, or undefined for the default answer. */
export type Answer = Document | 'hang-up' | undefined;

export type Script = (command: WireCommand, seen: readonly WireCommand[]) => Answer;

/** The update statements of an `update` command, whether sent as a document sequence (a bulk) or in the body (a single write). */
export const updatesOf = (command: WireCommand | undefined): Document[] =>
  command ? (command.sequences.updates ?? (command.body.updates as Document[] | undefined) ?? []) : [];

const HELLO_NAMES = new Set(['hello', 'ismaster', 'isMaster']);

function defaultAnswer(command: WireCommand): Document {
  const updates = updatesOf(command);
  const deletes = command.sequences.deletes ?? (command.body.deletes as Document[] | undefined) ?? [];
  switch (command.name) {
    case 'update':
      return { ok: 1, n: updates.length, nModified: updates.length };
    case 'delete':
      return { ok: 1, n: deletes.length };
    case 'find':
      return { ok: 1, cursor: { id: BSON.Long.fromNumber(0), ns: `wire.${String(command.target)}`, firstBatch: [] } };
    default:
      return { ok: 1 };
  }
}

export class FakeMongod {
  /** Every command but the handshakes and heartbeats, in arrival order. */
  readonly commands: WireCommand[] = [];
  private readonly sockets = new Set<Socket>();
  private connections = 0;

  private constructor(
    private readonly server: Server,
    private readonly script: Script,
  ) {}

  static async start(script: Script = () => undefined): Promise<FakeMongod> {
    const server = createServer();
    const fake = new FakeMongod(server, script);
    server.on('connection', (socket) => fake.serve(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** A direct connection that gives up quickly, so a test never waits on server selection. */
  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `mongodb://127.0.0.1:${port}/?directConnection=true&serverSelectionTimeoutMS=2000&connectTimeoutMS=2000`;
  }

  /** The commands of one name aimed at one collection. */
  sent(name: string, collection: string): WireCommand[] {
    return this.commands.filter((command) => command.name === name && command.target === collection);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(socket: Socket): void {
    const connectionId = ++this.connections;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy()); // the driver closing mid-reply is no failure of the test
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= pending.readInt32LE(0)) {
        const length = pending.readInt32LE(0);
        const message = pending.subarray(0, length);
        pending = pending.subarray(length);
        this.answer(socket, message, connectionId);
      }
    });
  }

  private answer(socket: Socket, message: Buffer, connectionId: number): void {
    const requestId = message.readInt32LE(4);
    const opCode = message.readInt32LE(12);
    const command = opCode === OP_QUERY ? parseQuery(message) : opCode === OP_MSG ? parseMsg(message) : null;
    if (!command) throw new Error(`the fake server speaks OP_QUERY and OP_MSG only, not opCode ${opCode}`);
    let reply: Answer;
    if (HELLO_NAMES.has(command.name)) {
      reply = hello(connectionId);
    } else {
      this.commands.push(command);
      reply = this.script(command, this.commands) ?? defaultAnswer(command);
    }
    if (reply === 'hang-up') {
      socket.destroy();
      return;
    }
    socket.write(opCode === OP_QUERY ? opReply(requestId, reply) : opMsg(requestId, reply));
  }
}

/** A standalone of MongoDB 7 (wire version 21) without sessions, so the driver sends no session ids and retries no writes. */
const hello = (connectionId: number): Document => ({
  helloOk: true,
  ismaster: true,
  isWritablePrimary: true,
  maxBsonObjectSize: 16 * 1024 * 1024,
  maxMessageSizeBytes: 48_000_000,
  maxWriteBatchSize: 100_000,
  localTime: new Date(),
  minWireVersion: 0,
  maxWireVersion: 21,
  connectionId,
  ok: 1,
});

function readCString(buffer: Buffer, at: number): [string, number] {
  const end = buffer.indexOf(0, at);
  return [buffer.toString('utf8', at, end), end + 1];
}

function commandOf(body: Document, sequences: Record<string, Document[]>): WireCommand {
  const name = Object.keys(body)[0] ?? '';
  return { name, target: body[name], body, sequences };
}

/** The handshake before the driver knows the wire version: OP_QUERY on admin.$cmd. */
function parseQuery(message: Buffer): WireCommand {
  const [, afterName] = readCString(message, 20);
  const at = afterName + 8; // numberToSkip, numberToReturn
  const size = message.readInt32LE(at);
  return commandOf(BSON.deserialize(message.subarray(at, at + size)), {});
}

function parseMsg(message: Buffer): WireCommand {
  let at = 20; // header, flagBits
  let body: Document = {};
  const sequences: Record<string, Document[]> = {};
  while (at < message.length) {
    const kind = message[at++];
    if (kind === 0) {
      const size = message.readInt32LE(at);
      body = BSON.deserialize(message.subarray(at, at + size));
      at += size;
    } else if (kind === 1) {
      const size = message.readInt32LE(at);
      const end = at + size;
      const [identifier, first] = readCString(message, at + 4);
      const documents: Document[] = [];
      for (let next = first; next < end; ) {
        const length = message.readInt32LE(next);
        documents.push(BSON.deserialize(message.subarray(next, next + length)));
        next += length;
      }
      sequences[identifier] = documents;
      at = end;
    } else {
      throw new Error(`unknown OP_MSG section kind ${kind}`);
    }
  }
  return commandOf(body, sequences);
}

function header(length: number, responseTo: number, opCode: number): Buffer {
  const buffer = Buffer.alloc(16);
  buffer.writeInt32LE(length, 0);
  buffer.writeInt32LE(0, 4);
  buffer.writeInt32LE(responseTo, 8);
  buffer.writeInt32LE(opCode, 12);
  return buffer;
}

function opReply(responseTo: number, document: Document): Buffer {
  const body = Buffer.from(BSON.serialize(document));
  const fields = Buffer.alloc(20); // responseFlags, cursorID (8), startingFrom, numberReturned
  fields.writeInt32LE(1, 16);
  return Buffer.concat([header(16 + 20 + body.length, responseTo, OP_REPLY), fields, body]);
}

function opMsg(responseTo: number, document: Document): Buffer {
  const body = Buffer.from(BSON.serialize(document));
  const flagsAndKind = Buffer.alloc(5); // flagBits 0, section kind 0
  return Buffer.concat([header(16 + 5 + body.length, responseTo, OP_MSG), flagsAndKind, body]);
}
