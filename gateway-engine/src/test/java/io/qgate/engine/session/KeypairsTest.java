package io.qgate.engine.session;

import static io.qgate.engine.session.KeypairFixture.CREATED;
import static io.qgate.engine.session.KeypairFixture.chain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.crypto.Backend;
import io.qgate.engine.protocol.Suite;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class KeypairsTest {
    private static Keypair keypair(int localIndex) {
        return new Keypair(Suite.DEFAULT, localIndex, 1000 + localIndex, chain(localIndex), chain(-localIndex),
            CREATED, 1, Backend.JDK);
    }

    /** Slots holding keypairs 1 (previous), 2 (current) and 3 (next); returns them in that order. */
    private static Keypair[] fill(Keypairs keypairs) {
        Keypair[] three = {keypair(1), keypair(2), keypair(3)};
        keypairs.installCurrent(three[0]);
        keypairs.installCurrent(three[1]);
        keypairs.installNext(three[2]);
        return three;
    }

    @Test
    void emptySlotsFindNothing() {
        Keypairs keypairs = new Keypairs();
        assertNull(keypairs.current());
        assertNull(keypairs.forSending());
        assertNull(keypairs.lookup(0));
    }

    @Test
    void aNextKeypairSendsOnlyWhileNoneIsCurrentAndIsFoundByItsIndex() {
        Keypairs keypairs = new Keypairs();
        Keypair next = keypair(1);
        keypairs.installNext(next);
        assertSame(next, keypairs.forSending());
        assertSame(next, keypairs.lookup(1));

        Keypair current = keypair(2);
        keypairs.installCurrent(current);
        assertSame(current, keypairs.forSending());
        assertSame(next, keypairs.next(), "a responder's current leaves our pending next alone");
        assertSame(current, keypairs.lookup(2));
        assertNull(keypairs.lookup(3));
    }

    @Test
    void aPreviousInstalledAfterwardsOnlyOpensAndRetiresTheOldPrevious() {
        Keypairs keypairs = new Keypairs();
        Keypair[] three = fill(keypairs);
        Keypair losing = keypair(9);
        keypairs.installPrevious(losing);
        assertSame(losing, keypairs.previous());
        assertSame(losing, keypairs.lookup(9), "packets already sealed under it still open");
        assertSame(three[1], keypairs.forSending(), "it never seals");
        assertSame(three[2], keypairs.next());
        assertNull(keypairs.lookup(three[0].localIndex()), "the displaced previous is gone");
        assertTrue(three[0].isClosed() && three[0].isErased(), "and retired");
    }

    @Test
    void installingCurrentMovesCurrentToPreviousAndRetiresTheOldPrevious() {
        Keypairs keypairs = new Keypairs();
        Keypair first = keypair(1);
        Keypair second = keypair(2);
        Keypair third = keypair(3);

        keypairs.installCurrent(first);
        keypairs.installCurrent(second);
        assertSame(first, keypairs.previous());
        assertSame(first, keypairs.lookup(1), "the previous keypair still opens late packets");
        keypairs.installCurrent(third);

        assertSame(second, keypairs.previous());
        assertSame(third, keypairs.current());
        assertTrue(first.isClosed() && first.isErased(), "the displaced previous is retired");
        assertFalse(second.isClosed());
        assertNull(keypairs.lookup(1));
    }

    @Test
    void promotingNextRetiresThePreviousOnceAndOnlyForTheExpectedKeypair() {
        Keypairs keypairs = new Keypairs();
        Keypair[] three = fill(keypairs);
        Keypair old = three[0];
        Keypair current = three[1];
        Keypair next = three[2];

        assertFalse(keypairs.promoteNext(current), "only the next keypair is promoted");
        assertTrue(keypairs.promoteNext(next));
        assertFalse(keypairs.promoteNext(next), "a second promotion changes nothing");

        assertSame(current, keypairs.previous());
        assertSame(next, keypairs.current());
        assertNull(keypairs.next());
        assertTrue(old.isClosed());
        assertFalse(current.isClosed());
    }

    @Test
    void installingCurrentThatWasNextEmptiesNext() {
        Keypairs keypairs = new Keypairs();
        Keypair next = keypair(1);
        keypairs.installNext(next);
        keypairs.installCurrent(next);
        assertSame(next, keypairs.current());
        assertNull(keypairs.next());
        assertFalse(next.isClosed());
    }

    @Test
    void aReplacedNextIsRetired() {
        Keypairs keypairs = new Keypairs();
        Keypair abandoned = keypair(1);
        keypairs.installNext(abandoned);
        keypairs.installNext(keypair(2));
        assertTrue(abandoned.isClosed());
        assertNull(keypairs.lookup(1));
    }

    @Test
    void closeRetiresAllThreeAndRefusesLaterInstalls() {
        Keypairs keypairs = new Keypairs();
        Keypair[] three = fill(keypairs);

        keypairs.close();
        keypairs.close();

        assertTrue(three[0].isClosed() && three[1].isClosed() && three[2].isClosed());
        assertNull(keypairs.lookup(2));
        Keypair late = keypair(4);
        assertThrows(IllegalStateException.class, () -> keypairs.installCurrent(late));
        assertTrue(late.isClosed(), "a refused keypair is erased, not leaked");
        assertThrows(IllegalStateException.class, () -> keypairs.installNext(keypair(5)));
    }

    @Test
    @Timeout(20)
    void workersPromotingTheSameNextAtOnceChangeTheSlotsExactlyOnce() throws Exception {
        int rounds = 300;
        int threads = 3;
        Keypairs keypairs = new Keypairs();
        Keypair[] installed = new Keypair[rounds];
        for (int r = 0; r < rounds; r++) {
            installed[r] = keypair(r + 1);
        }
        AtomicInteger[] winners = new AtomicInteger[rounds];
        for (int r = 0; r < rounds; r++) {
            winners[r] = new AtomicInteger();
        }
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        int[] round = {0};
        CyclicBarrier barrier = new CyclicBarrier(threads, () -> {
            int r = round[0]++;
            if (r < rounds) {
                keypairs.installNext(installed[r]);
            }
        });
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(() -> {
                try {
                    for (int r = 0; r < rounds; r++) {
                        barrier.await();
                        if (keypairs.promoteNext(installed[r])) {
                            winners[r].incrementAndGet();
                        }
                    }
                    barrier.await();
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            workers[t].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }

        assertTrue(failures.isEmpty(), () -> "failures: " + failures);
        for (int r = 0; r < rounds; r++) {
            assertEquals(1, winners[r].get(), "round " + r);
        }
        assertSame(installed[rounds - 1], keypairs.current());
        assertSame(installed[rounds - 2], keypairs.previous());
        for (int r = 0; r < rounds - 2; r++) {
            assertTrue(installed[r].isClosed(), "keypair " + r + " was displaced and must be retired");
        }
        assertFalse(installed[rounds - 2].isClosed());
    }
}
