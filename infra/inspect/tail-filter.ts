import type { EventFilter, RecordedEvent } from '../eventstore/port.js';
import { categoryOf, categoryOfService, EVENT_TYPES, STREAM_CATEGORIES } from './owners.js';
import { UsageError } from './errors.js';

/** What `concertctl tail` and the console's live tail follow; the messages name the CLI's options, which the query parameters mirror. */
export interface TailFilters {
  stream?: string;
  category?: string[];
  type?: string[];
  correlation?: string;
}

const list = (names: readonly string[]) => names.join(', ');

/** How a refusal names a filter: `--category` in a terminal, `category` for a query parameter. */
export type Naming = (filter: keyof TailFilters) => string;

const cliOption: Naming = (filter) => `--${filter}`;

/** A category or event type that no stream or service has would print nothing, forever: refuse it and say what exists. */
function checkNames(options: TailFilters, named: Naming): void {
  for (const category of options.category ?? []) {
    if (STREAM_CATEGORIES.includes(category)) continue;
    const owned = categoryOfService(category);
    const hint = owned ? ` (${category} is a service; its streams are ${owned}-…)` : '';
    throw new UsageError(`${named('category')} ${category}: no such stream category${hint}; the categories are: ${list(STREAM_CATEGORIES)}`);
  }
  for (const type of options.type ?? []) {
    if (!EVENT_TYPES.includes(type)) throw new UsageError(`${named('type')} ${type}: no such event type; the types are: ${list(EVENT_TYPES)}`);
  }
  if (options.stream !== undefined && !STREAM_CATEGORIES.includes(categoryOf(options.stream))) {
    throw new UsageError(`${named('stream')} ${options.stream}: not a stream of any category; streams are named <category>-<id>, the categories are: ${list(STREAM_CATEGORIES)}`);
  }
}

/**
 * The filters, combined: stream AND category AND type AND correlation. The
 * store filters by stream prefix and type; the exact stream and the
 * correlation are checked here. A stream outside the categories asked for
 * could never match, so that pair is refused rather than left to wait.
 */
export function tailFilter(options: TailFilters, named: Naming = cliOption): { server: EventFilter; local: (event: RecordedEvent) => boolean } {
  checkNames(options, named);
  const { stream, category } = options;
  if (stream !== undefined && category !== undefined && !category.includes(categoryOf(stream))) {
    throw new UsageError(`${named('stream')} ${stream} is in category ${categoryOf(stream)}, not in ${named('category')} ${list(category)}: together they match nothing`);
  }
  const prefixes = stream !== undefined ? [stream] : category?.map((c) => `${c}-`);
  return {
    server: { streamPrefixes: prefixes, eventTypes: options.type },
    local: (event) =>
      (stream === undefined || event.streamId === stream) &&
      (options.correlation === undefined || event.metadata.correlationId === options.correlation),
  };
}
