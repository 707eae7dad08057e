package io.qgate.engine.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several committers on one window at once. Counters are offered in chunks smaller than the window
 * (a barrier between chunks keeps every offered counter inside the window), shuffled inside each
 * chunk, and every counter is offered by two threads: each counter must be accepted exactly once,
 * never twice and never lost. A second test adds replayers that offer counters up to two windows
 * old while the window slides, so stale committers race with slots being moved to newer blocks.
 */
class ReplayWindowConcurrencyTest {
    private static final int CHUNK = 4096;
    private static final int MAX_CHUNKS = 1000;
    private static final long TIME_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);

    /** Runs the committers chunk by chunk until MAX_CHUNKS or the time budget; returns the chunks done. */
    private static final class ChunkedCommitters {
        final ReplayWindow window = new ReplayWindow();
        final AtomicIntegerArray acceptances = new AtomicIntegerArray(CHUNK * MAX_CHUNKS);
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        private final int threads;
        private final int offersPerCounter;
        private final CyclicBarrier barrier;
        private final long deadline = System.nanoTime() + TIME_BUDGET_NANOS;
        private volatile boolean stop;
        private int chunksDone;

        ChunkedCommitters(int threads, int offersPerCounter) {
            this.threads = threads;
            this.offersPerCounter = offersPerCounter;
            this.barrier = new CyclicBarrier(threads, () -> {
                chunksDone++;
                stop = chunksDone == MAX_CHUNKS || System.nanoTime() > deadline;
            });
        }

        List<Thread> start() {
            List<Thread> started = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread thread = new Thread(() -> run(id), "committer-" + t);
                started.add(thread);
                thread.start();
            }
            return started;
        }

        private void run(int id) {
            SplittableRandom random = new SplittableRandom(0x5eed + id);
            long[] mine = new long[CHUNK];
            try {
                for (int chunk = 0; !stop; chunk++) {
                    int n = 0;
                    long base = (long) chunk * CHUNK;
                    for (int i = 0; i < CHUNK; i++) {
                        int owner = i % threads;
                        if ((id - owner + threads) % threads < offersPerCounter) {
                            mine[n++] = base + i;
                        }
                    }
                    for (int i = n - 1; i > 0; i--) {
                        int j = random.nextInt(i + 1);
                        long swap = mine[i];
                        mine[i] = mine[j];
                        mine[j] = swap;
                    }
                    for (int i = 0; i < n; i++) {
                        if (window.commit(mine[i])) {
                            acceptances.incrementAndGet((int) mine[i]);
                        }
                    }
                    barrier.await();
                }
            } catch (InterruptedException | BrokenBarrierException e) {
                failures.add(e);
            } catch (Throwable e) {
                failures.add(e);
                barrier.reset();
            }
        }

        /** Asserts that no thread failed and every counter of the chunks run was accepted exactly once; returns their number. */
        long assertEveryCounterAcceptedExactlyOnce() {
            assertTrue(failures.isEmpty(), () -> "failures: " + failures);
            assertTrue(chunksDone >= 10, "too few chunks ran: " + chunksDone);
            long counters = (long) chunksDone * CHUNK;
            int lost = 0;
            int duplicated = 0;
            long firstBad = -1;
            for (int c = 0; c < counters; c++) {
                int n = acceptances.get(c);
                if (n != 1) {
                    lost += n == 0 ? 1 : 0;
                    duplicated += n > 1 ? 1 : 0;
                    firstBad = firstBad < 0 ? c : firstBad;
                }
            }
            assertEquals(0, lost + duplicated, counters + " counters: " + lost + " lost, " + duplicated
                    + " accepted more than once, first at " + firstBad);
            return counters;
        }
    }

    @Test
    @Timeout(20)
    void everyCounterOfferedByTwoThreadsIsAcceptedExactlyOnce() throws InterruptedException {
        ChunkedCommitters committers = new ChunkedCommitters(4, 2);
        for (Thread thread : committers.start()) {
            thread.join();
        }

        long counters = committers.assertEveryCounterAcceptedExactlyOnce();
        assertEquals(counters - 1, committers.window.highest());
    }

    @Test
    @Timeout(20)
    void staleCommittersNeverResurrectOldCountersWhileTheWindowSlides() throws InterruptedException {
        ChunkedCommitters committers = new ChunkedCommitters(2, 2);
        ReplayWindow window = committers.window;
        List<Thread> forward = committers.start();
        Thread[] replayers = new Thread[2];
        for (int r = 0; r < replayers.length; r++) {
            SplittableRandom random = new SplittableRandom(0xabc + r);
            replayers[r] = new Thread(() -> {
                while (!committers.stop) {
                    long seen = window.highest();
                    long counter = seen - random.nextLong(2 * ReplayWindow.WINDOW + 32);
                    if (counter < 0) {
                        Thread.onSpinWait();
                        continue;
                    }
                    if (window.commit(counter)) {
                        committers.acceptances.incrementAndGet((int) counter);
                        if (counter <= seen - ReplayWindow.WINDOW) {
                            committers.failures.add(new AssertionError("accepted " + counter + " after highest " + seen));
                        }
                    }
                }
            }, "replayer-" + r);
            replayers[r].start();
        }
        for (Thread thread : forward) {
            thread.join();
        }
        for (Thread replayer : replayers) {
            replayer.join();
        }

        committers.assertEveryCounterAcceptedExactlyOnce();
    }
}
