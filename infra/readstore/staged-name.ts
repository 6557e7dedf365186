import { randomBytes } from 'node:crypto';

/**
 * A fresh physical name for a model's next collection: the model's name (cut
 * so the whole stays a valid identifier in both stores), a generation mark
 * and a random tail, so two rebuilds of one model never share a collection.
 */
export function stagedName(model: string): string {
  return `${model.slice(0, 40)}_v${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}
