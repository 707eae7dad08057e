package io.qgate.bench;

import io.qgate.engine.session.ReplayWindow;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The anti-replay window on the receive path: an in-order commit, the pre-check plus commit pair
 * of a packet, commits reordered within the window (single-threaded, each a fresh counter, so
 * each measures the accepting path), and two threads committing interleaved counters of one
 * session. In the contended case the two threads share slots and {@code highest}; a thread that
 * falls more than a window behind the other gets too-old rejections, which are counted as
 * operations too.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.AGRONA_EXPORTS, Jvm.ML_DSA_OPENS, Jvm.AES_GCM_OPENS, Jvm.UNSAFE_ALLOW})
public class ReplayWindowBenchmark {
    /** Reorder span of the out-of-order case: a quarter of the window. */
    private static final int REORDER = 2048;
    private static final int CONTENDED_THREADS = 2;

    /** One receiver's window, used by one thread. */
    @State(Scope.Thread)
    public static class SingleReceiver {
        ReplayWindow window;
        long counter;
        long base;
        int position;
        final int[] shuffled = new int[REORDER];

        @Setup
        public void setUp() {
            window = new ReplayWindow();
            SplittableRandom random = new SplittableRandom(7);
            for (int i = 0; i < REORDER; i++) {
                shuffled[i] = i;
            }
            for (int i = REORDER - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = shuffled[i];
                shuffled[i] = shuffled[j];
                shuffled[j] = swap;
            }
        }
    }

    /** One window shared by the crypto workers of a session. */
    @State(Scope.Benchmark)
    public static class SharedSession {
        final ReplayWindow window = new ReplayWindow();
        final AtomicInteger workers = new AtomicInteger();
    }

    /** One crypto worker's share of the counters: worker i of n commits i, i + n, i + 2n, ... */
    @State(Scope.Thread)
    public static class Worker {
        long counter;

        @Setup
        public void setUp(SharedSession session) {
            counter = session.workers.getAndIncrement();
        }
    }

    @Benchmark
    public boolean inOrderCommit(SingleReceiver r) {
        return r.window.commit(r.counter++);
    }

    @Benchmark
    public boolean mayAcceptThenCommit(SingleReceiver r) {
        long counter = r.counter++;
        return r.window.mayAccept(counter) && r.window.commit(counter);
    }

    @Benchmark
    public boolean outOfOrderWithinWindow(SingleReceiver r) {
        long counter = r.base + r.shuffled[r.position];
        if (++r.position == REORDER) {
            r.position = 0;
            r.base += REORDER;
        }
        return r.window.commit(counter);
    }

    @Benchmark
    @Threads(CONTENDED_THREADS)
    public boolean contendedInterleavedCommit(SharedSession session, Worker worker) {
        long counter = worker.counter;
        worker.counter = counter + CONTENDED_THREADS;
        return session.window.commit(counter);
    }
}
