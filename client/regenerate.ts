import { writeFileSync } from 'node:fs';
import { clientSchema, SCHEMA_FILE, servedDocument } from './generate.js';

// `npm run client:generate`: the typed client's types, rewritten from the document the server serves.
writeFileSync(SCHEMA_FILE, await clientSchema(await servedDocument()));
console.log(`wrote ${SCHEMA_FILE}`);
