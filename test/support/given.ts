import type { Test } from 'tap';
import { fold, Rejection, type Decider, type DomainEvent } from '../../bus/decider.js';

/**
 * Given/when/then for deciders, after Emmett's DeciderSpecification:
 *   given(decider, [events]).when(command).then([events]) or .rejects('CODE')
 */
export function given<State, Command, Event extends DomainEvent>(
  t: Test,
  decider: Decider<State, Command, Event>,
  history: readonly Event[],
) {
  return {
    when(command: Command) {
      const run = () => decider.decide(command, fold(decider, history));
      return {
        then(expected: readonly Event[], message = 'decides the expected events') {
          t.same(run(), expected, message);
        },
        /** Nothing new: a duplicate or an outcome the aggregate ignores. */
        thenNothing(message = 'decides nothing') {
          t.same(run(), [], message);
        },
        rejects(code: string, message = `rejects with ${code}`) {
          let thrown: unknown;
          try {
            run();
          } catch (error) {
            thrown = error;
          }
          t.ok(thrown instanceof Rejection, `${message}: a Rejection is thrown`);
          t.equal((thrown as Rejection | undefined)?.code, code, message);
        },
      };
    },
  };
}
