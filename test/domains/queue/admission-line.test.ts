import t from 'tap';
import { fold } from '../../../bus/decider.js';
import { positionKey } from '../../../infra/readstore/position-key.js';
import { admissionLine, admissionStream } from '../../../domains/queue/admission-line.js';
import type { Admit } from '../../../domains/queue/commands.js';
import type { AdmissionLineEvent, LineToken } from '../../../domains/queue/events.js';
import { given } from '../../support/given.js';

const now = '2030-01-01T10:00:00.000Z';
const ttlMs = 600_000;
const token = (name: string, position: bigint): LineToken => ({ tokenId: `t-${name}`, userId: name, issuedPosition: positionKey(position) });
const [ana, ben, cy, dee] = [token('ana', 10n), token('ben', 20n), token('cy', 30n), token('dee', 2n ** 70n)];

const admitCommand = (data: Partial<Admit['data']> = {}): Admit => ({
  type: 'Admit',
  data: { after: 0, taken: 0, maxActive: 2, waiting: [ana, ben, cy], ttlMs, now, ...data },
});
const admitted = (tokens: LineToken[], at = now): AdmissionLineEvent => ({ type: 'QueueTokensAdmitted', data: { tokens, admittedAt: at, ttlMs } });

t.test('stream and category: apart from the users’ queue-{userId} streams', async (t) => {
  t.equal(admissionLine.category, 'admission');
  t.equal(admissionStream, 'admission-line');
  t.not(admissionLine.category, 'queue');
});

t.test('Admit', async (t) => {
  t.test('an empty line lets the first waiting tokens into the free slots, in issue order', async (t) => {
    given(t, admissionLine, []).when(admitCommand({ waiting: [cy, ana, ben] })).then([admitted([ana, ben])]);
  });

  t.test('only the free slots', async (t) => {
    given(t, admissionLine, []).when(admitCommand({ taken: 1 })).then([admitted([ana])]);
  });

  t.test('no free slot: nothing', async (t) => {
    given(t, admissionLine, []).when(admitCommand({ taken: 2 })).thenNothing();
    given(t, admissionLine, []).when(admitCommand({ taken: 5 })).thenNothing('more taken than allowed (the limit was lowered): nothing, never negative');
  });

  t.test('nobody waiting: nothing', async (t) => {
    given(t, admissionLine, []).when(admitCommand({ waiting: [] })).thenNothing();
  });

  t.test('after a decision, only tokens issued after its last one', async (t) => {
    given(t, admissionLine, [admitted([ana, ben])])
      .when(admitCommand({ after: 1, maxActive: 10, waiting: [ana, ben, cy] }))
      .then([admitted([cy])], 'tokens already admitted are not admitted again, even if a stale view shows them waiting');
  });

  t.test('a decision is never dated before the one it follows (admitters’ clocks differ)', async (t) => {
    const later = '2030-01-01T10:00:00.020Z';
    given(t, admissionLine, [admitted([ana], later)]).when(admitCommand({ after: 1 })).then([admitted([ben, cy], later)], 'dated as the one before');
    const laterStill = '2030-01-01T10:00:01.000Z';
    given(t, admissionLine, [admitted([ana])]).when(admitCommand({ after: 1, now: laterStill })).then([admitted([ben, cy], laterStill)], 'a later tick keeps its own time');
  });

  t.test('positions past 2^64 keep their order', async (t) => {
    given(t, admissionLine, [admitted([cy])]).when(admitCommand({ after: 1, waiting: [dee, ana] })).then([admitted([dee])]);
  });

  t.test('a view that does not include every decision is refused: its free slots may be spent', async (t) => {
    given(t, admissionLine, [admitted([ana])]).when(admitCommand({ after: 0 })).rejects('LINE_MOVED');
    given(t, admissionLine, []).when(admitCommand({ after: 1 })).rejects('LINE_MOVED', 'nor one that claims decisions the line does not hold');
  });

  for (const bad of [0, -1, 1.5]) {
    t.test(`rejects ttlMs ${bad}`, async (t) => {
      given(t, admissionLine, []).when(admitCommand({ ttlMs: bad })).rejects('INVALID_TTL');
    });
  }

  t.test('rejects slots that are not whole numbers', async (t) => {
    given(t, admissionLine, []).when(admitCommand({ maxActive: 0 })).rejects('INVALID_SLOTS');
    given(t, admissionLine, []).when(admitCommand({ taken: -1 })).rejects('INVALID_SLOTS');
    given(t, admissionLine, []).when(admitCommand({ maxActive: 2.5 })).rejects('INVALID_SLOTS');
  });
});

t.test('evolve counts decisions and remembers the last admitted position', async (t) => {
  t.same(fold(admissionLine, []), { decisions: 0, lastAdmitted: null, lastAdmittedAt: null });
  t.same(fold(admissionLine, [admitted([ana, ben]), admitted([cy])]), { decisions: 2, lastAdmitted: cy.issuedPosition, lastAdmittedAt: now });
  t.same(fold(admissionLine, [admitted([cy, ana])]), { decisions: 1, lastAdmitted: cy.issuedPosition, lastAdmittedAt: now }, 'the furthest one, whatever the order in the event');
});
