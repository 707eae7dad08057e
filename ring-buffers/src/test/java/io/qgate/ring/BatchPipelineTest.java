package io.qgate.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class BatchPipelineTest {
    private static final long TIMEOUT_SECONDS = 30;

    private final String name = "t" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
    private BatchPipeline pipeline;

    @AfterEach
    void closeAndCheckNoThreadIsLeft() {
        if (pipeline != null) {
            pipeline.close();
        }
        assertEquals(List.of(), threadsOf(name));
    }

    private PipelineConfig.Builder config() {
        return PipelineConfig.builder(name).ringSize(16).batchCapacity(4).slotBytes(64);
    }

    static List<Thread> threadsOf(String pipelineName) {
        String prefix = "qgate-" + pipelineName + "-";
        return Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith(prefix) && t.isAlive()).toList();
    }

    static Stream<Arguments> workersAndModes() {
        return Stream.of(Arguments.of(1, WaitMode.BACKOFF), Arguments.of(2, WaitMode.BACKOFF),
            Arguments.of(3, WaitMode.BACKOFF), Arguments.of(2, WaitMode.BLOCKING));
    }

    @ParameterizedTest(name = "{0} workers, {1}")
    @MethodSource("workersAndModes")
    void egressSeesEveryBatchInOrderAfterExactlyOneWorker(int workers, WaitMode mode) throws InterruptedException {
        int total = 100_000;
        AtomicIntegerArray processed = new AtomicIntegerArray(total);
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicLong emitted = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        pipeline = BatchPipeline.start(config().workers(workers).waitMode(mode)
            .workerHandler((batch, id) -> {
                int s = (int) batch.sequence();
                if (s % workers != id || batch.tag(0) != s || batch.slot(0).get(ValueLayout.JAVA_INT, 0) != s) {
                    failure.compareAndSet(null, "worker " + id + " got batch " + s + " tagged " + batch.tag(0));
                }
                processed.incrementAndGet(s);
                batch.status(0, id + 1);
            })
            .egressHandler(batch -> {
                long expected = emitted.get();
                int s = (int) batch.sequence();
                if (s != expected || processed.get(s) != 1 || batch.status(0) != s % workers + 1) {
                    failure.compareAndSet(null, "egress expected " + expected + ", got " + s + " processed "
                        + processed.get(s) + " times, status " + batch.status(0));
                }
                if (emitted.incrementAndGet() == total) {
                    done.countDown();
                }
            }).build());
        for (int i = 0; i < total; i++) {
            PacketBatch batch = pipeline.claim();
            batch.count(1).tag(0, i);
            batch.slot(0).set(ValueLayout.JAVA_INT, 0, i);
            pipeline.publish();
        }
        assertTrue(done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "egress saw " + emitted.get() + " of " + total);
        assertNull(failure.get());
        for (int s = 0; s < total; s++) {
            assertEquals(1, processed.get(s), "batch " + s);
        }
        assertEquals(0, pipeline.errors());
    }

    @Test
    void twoWorkersProcessAtTheSameTime() throws InterruptedException {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        CountDownLatch emitted = new CountDownLatch(4);
        pipeline = BatchPipeline.start(config().workers(2)
            .workerHandler((batch, id) -> {
                mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                sleep(100);
                inside.decrementAndGet();
            })
            .egressHandler(batch -> emitted.countDown()).build());
        for (int i = 0; i < 4; i++) {
            pipeline.claim();
            pipeline.publish();
        }
        assertTrue(emitted.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals(2, mostInside.get());
    }

    /**
     * An idle pipeline must cost ~0% CPU. {@link WaitMode#BUSY_SPIN} would use about 1 s of CPU
     * per thread here (that is its point), so it is not run: it would only burn the shared cores.
     */
    @ParameterizedTest
    @EnumSource(value = WaitMode.class, names = {"BACKOFF", "BLOCKING"})
    void idlePipelineUsesAlmostNoCpu(WaitMode mode) throws InterruptedException {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(mx.isThreadCpuTimeSupported(), "needs per-thread CPU time (ThreadMXBean)");
        CountDownLatch emitted = new CountDownLatch(1000);
        pipeline = BatchPipeline.start(config().workers(2).waitMode(mode)
            .workerHandler((batch, id) -> batch.slot(0).set(ValueLayout.JAVA_BYTE, 0, (byte) id))
            .egressHandler(batch -> emitted.countDown()).build());
        for (int i = 0; i < 1000; i++) {
            pipeline.claim();
            pipeline.publish();
        }
        assertTrue(emitted.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        List<Thread> threads = threadsOf(name);
        assertEquals(3, threads.size());
        Thread.sleep(1000);
        long before = cpuNanos(mx, threads);
        Thread.sleep(1000);
        long used = cpuNanos(mx, threads) - before;
        assertTrue(used < TimeUnit.MILLISECONDS.toNanos(50), "idle threads used " + used / 1_000_000 + " ms of CPU in 1 s");
    }

    private static long cpuNanos(ThreadMXBean mx, List<Thread> threads) {
        long sum = 0;
        for (Thread thread : threads) {
            long t = mx.getThreadCpuTime(thread.threadId());
            assertTrue(t >= 0, thread.getName() + " is not alive");
            sum += t;
        }
        return sum;
    }

    @Test
    void tryClaimReturnsNullWhenTheRingIsFullAndABatchOnceThereIsRoom() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        pipeline = BatchPipeline.start(config().ringSize(4)
            .workerHandler((batch, id) -> awaitQuietly(release)).egressHandler(batch -> { }).build());
        for (int i = 0; i < 4; i++) {
            PacketBatch batch = pipeline.tryClaim();
            assertNotNull(batch, "batch " + i);
            assertEquals(i, batch.sequence());
            pipeline.publish();
        }
        assertNull(pipeline.tryClaim());
        assertNull(pipeline.tryClaim(), "a failed tryClaim claims nothing");
        release.countDown();
        PacketBatch batch = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (batch == null && System.nanoTime() < deadline) {
            batch = pipeline.tryClaim();
            Thread.onSpinWait();
        }
        assertNotNull(batch);
        assertEquals(4, batch.sequence());
    }

    @Test
    void claimWaitsWhileTheRingIsFullAndHandsOutAClearedBatch() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        pipeline = BatchPipeline.start(config().ringSize(2)
            .workerHandler((batch, id) -> awaitQuietly(release)).egressHandler(batch -> { }).build());
        for (int i = 0; i < 2; i++) {
            pipeline.claim().count(3).tag(1, 99);
            pipeline.publish();
        }
        Thread releaser = Thread.ofPlatform().start(() -> {
            sleep(200);
            release.countDown();
        });
        long start = System.nanoTime();
        PacketBatch batch = pipeline.claim();
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(150), "claim did not wait");
        assertEquals(2, batch.sequence());
        assertEquals(0, batch.count());
        assertEquals(0, batch.tag(1));
        releaser.join();
    }

    @Test
    void closeWhileTheProducerWaitsForRoomFailsTheClaim() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        pipeline = BatchPipeline.start(config().ringSize(1)
            .workerHandler((batch, id) -> awaitQuietly(release)).egressHandler(batch -> { }).build());
        pipeline.claim();
        pipeline.publish();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread producer = Thread.ofPlatform().start(() -> {
            try {
                pipeline.claim();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        Thread.sleep(100);
        assertTrue(producer.isAlive(), "the producer waits for room");
        Thread releaser = Thread.ofPlatform().start(() -> {
            sleep(100);
            release.countDown();
        });
        pipeline.close();
        producer.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        releaser.join();
        assertEquals(IllegalStateException.class, thrown.get().getClass());
        assertTrue(thrown.get().getMessage().contains("was closed while waiting for room"), thrown.get().getMessage());
    }

    @Test
    void claimAndPublishMustAlternate() {
        pipeline = BatchPipeline.start(config().workerHandler((batch, id) -> { }).egressHandler(batch -> { }).build());
        var early = assertThrows(IllegalStateException.class, pipeline::publish);
        assertEquals("claim() a batch before publishing", early.getMessage());
        pipeline.claim();
        var twice = assertThrows(IllegalStateException.class, pipeline::claim);
        assertEquals("publish() the batch claimed at sequence 0 before claiming another", twice.getMessage());
        assertThrows(IllegalStateException.class, pipeline::tryClaim);
        pipeline.publish();
        assertEquals(1, pipeline.claim().sequence());
    }

    @Test
    void closeStopsEveryThreadFreesTheSlotsAndIsIdempotent() {
        pipeline = BatchPipeline.start(config().workers(3).workerHandler((batch, id) -> { })
            .egressHandler(batch -> { }).build());
        assertEquals(List.of("qgate-" + name + "-egress", "qgate-" + name + "-worker-0", "qgate-" + name + "-worker-1",
            "qgate-" + name + "-worker-2"), threadsOf(name).stream().map(Thread::getName).sorted().toList());
        PacketBatch batch = pipeline.claim();
        pipeline.publish();
        pipeline.close();
        assertEquals(List.of(), threadsOf(name));
        assertThrows(IllegalStateException.class, () -> batch.slot(0).get(ValueLayout.JAVA_BYTE, 0),
            "the arena is closed");
        pipeline.close();
        var closed = assertThrows(IllegalStateException.class, pipeline::claim);
        assertEquals("pipeline " + name + " is closed", closed.getMessage());
        assertThrows(IllegalStateException.class, pipeline::tryClaim);
    }

    @Test
    void closeFromAHandlerIsRefused() throws InterruptedException {
        AtomicReference<BatchPipeline> self = new AtomicReference<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch emitted = new CountDownLatch(1);
        pipeline = BatchPipeline.start(config().workerHandler((batch, id) -> { }).egressHandler(batch -> {
            try {
                self.get().close();
            } catch (Throwable t) {
                thrown.set(t);
            }
            emitted.countDown();
        }).build());
        self.set(pipeline);
        pipeline.claim();
        pipeline.publish();
        assertTrue(emitted.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals(IllegalStateException.class, thrown.get().getClass());
        assertTrue(thrown.get().getMessage().startsWith("close() was called from qgate-" + name + "-egress"));
    }

    @Test
    void closeReportsAHandlerThatIgnoresInterruptsAndFreesTheSlotsAnyway() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        AtomicInteger interrupts = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        pipeline = BatchPipeline.start(config().stopTimeout(Duration.ofMillis(100))
            .workerHandler((batch, id) -> {
                entered.countDown();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
                while (release.getCount() > 0 && System.nanoTime() < deadline) {
                    try {
                        release.await(10, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        interrupts.incrementAndGet();
                    }
                }
            }).egressHandler(batch -> { }).build());
        PacketBatch batch = pipeline.claim();
        pipeline.publish();
        assertTrue(entered.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        var e = assertThrows(IllegalStateException.class, pipeline::close);
        assertEquals("pipeline " + name + ": qgate-" + name + "-worker-0 did not stop within twice the stop timeout"
            + " of 100 ms: a handler is blocked and ignores interrupts", e.getMessage());
        assertTrue(interrupts.get() >= 1, "close interrupted the worker");
        assertThrows(IllegalStateException.class, () -> batch.slot(0).get(ValueLayout.JAVA_BYTE, 0));
        release.countDown();
        for (Thread t : threadsOf(name)) {
            t.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        }
    }

    @Test
    void inlinePublishProcessesAndEmitsOnTheProducersThreadBeforeReturning() {
        Thread producer = Thread.currentThread();
        List<String> events = new java.util.ArrayList<>();
        pipeline = BatchPipeline.start(config().workers(0)
            .workerHandler((batch, id) -> {
                assertEquals(producer, Thread.currentThread());
                events.add("process " + batch.sequence() + " as worker " + id + " tag " + batch.tag(0));
                batch.status(0, 7);
            })
            .egressHandler(batch -> {
                assertEquals(producer, Thread.currentThread());
                events.add("emit " + batch.sequence() + " status " + batch.status(0));
            }).build());
        assertEquals(List.of(), threadsOf(name), "an inline pipeline starts no thread");
        PacketBatch first = null;
        for (int i = 0; i < 3; i++) {
            PacketBatch batch = pipeline.claim();
            assertEquals(0, batch.count(), "claimed cleared");
            assertEquals(0, batch.status(0), "claimed cleared");
            first = first == null ? batch : first;
            assertSame(first, batch, "one batch, reused");
            batch.count(1).tag(0, 10 + i);
            assertThrows(IllegalStateException.class, pipeline::claim, "claim twice without publish");
            pipeline.publish();
            assertEquals(2 * (i + 1), events.size(), "done when publish returns");
        }
        assertEquals(List.of("process 0 as worker 0 tag 10", "emit 0 status 7", "process 1 as worker 0 tag 11",
            "emit 1 status 7", "process 2 as worker 0 tag 12", "emit 2 status 7"), events);
        assertNotNull(pipeline.tryClaim(), "an inline pipeline always has room");
        pipeline.publish();
        assertThrows(IllegalStateException.class, pipeline::publish, "publish without claim");
        assertEquals(PacketBatch.bytesFor(4, 64), pipeline.config().ringBytes(), "one batch, not the ring");
        pipeline.close();
        assertThrows(IllegalStateException.class, pipeline::claim, "closed");
    }

    @Test
    void inlineHandlerExceptionsAreCountedReportedAndTheBatchIsStillEmitted() {
        List<String> reported = new java.util.ArrayList<>();
        List<Long> emitted = new java.util.ArrayList<>();
        pipeline = BatchPipeline.start(config().workers(0)
            .workerHandler((batch, id) -> {
                if (batch.sequence() == 1) {
                    throw new IllegalStateException("bad batch");
                }
            })
            .egressHandler(batch -> {
                emitted.add(batch.sequence());
                if (batch.sequence() == 2) {
                    throw new IllegalArgumentException("bad send");
                }
            })
            .errorHandler((error, batch, stage) -> {
                reported.add(stage + "@" + batch.sequence() + ":" + error.getMessage());
                throw new IllegalStateException("a failing error handler is ignored");
            }).build());
        for (int i = 0; i < 4; i++) {
            pipeline.claim().count(1);
            pipeline.publish();
        }
        assertEquals(List.of(0L, 1L, 2L, 3L), emitted);
        assertEquals(List.of("0@1:bad batch", "-1@2:bad send"), reported);
        assertEquals(2, pipeline.errors());
    }

    @Test
    void handlerExceptionsAreCountedReportedAndThePipelineGoesOn() throws InterruptedException {
        Queue<String> reported = new ConcurrentLinkedQueue<>();
        CountDownLatch emitted = new CountDownLatch(10);
        pipeline = BatchPipeline.start(config().workers(2)
            .workerHandler((batch, id) -> {
                if (batch.sequence() == 3) {
                    throw new IllegalStateException("bad batch");
                }
            })
            .egressHandler(batch -> {
                emitted.countDown();
                if (batch.sequence() == 6) {
                    throw new IllegalArgumentException("bad send");
                }
            })
            .errorHandler((error, batch, stage) -> {
                batch.status(0, 1);
                reported.add(stage + "@" + batch.sequence() + ":" + error.getMessage());
                throw new IllegalStateException("a failing error handler is ignored");
            }).build());
        for (int i = 0; i < 10; i++) {
            pipeline.claim().count(1);
            pipeline.publish();
        }
        assertTrue(emitted.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "every batch reached the egress");
        awaitTrue(() -> pipeline.errors() == 2);
        assertEquals(List.of("1@3:bad batch", "-1@6:bad send"), List.copyOf(reported));
    }

    @Test
    void eachThreadPinsItselfToItsCpuBeforeTakingBatches() {
        Map<String, Integer> pinned = new ConcurrentHashMap<>();
        pipeline = BatchPipeline.start(config().workers(2).cpus(List.of(5, 6))
            .pinner(cpu -> pinned.put(Thread.currentThread().getName(), cpu))
            .workerHandler((batch, id) -> { }).egressHandler(batch -> { }).build());
        assertEquals(Map.of("qgate-" + name + "-worker-0", 5, "qgate-" + name + "-worker-1", 6,
            "qgate-" + name + "-egress", 5), pinned);
    }

    @Test
    void noPinnerCallWithoutCpus() {
        AtomicInteger calls = new AtomicInteger();
        pipeline = BatchPipeline.start(config().pinner(cpu -> calls.incrementAndGet())
            .workerHandler((batch, id) -> { }).egressHandler(batch -> { }).build());
        assertEquals(0, calls.get());
    }

    @Test
    void aThreadThatCannotBePinnedFailsTheStartAndLeavesNoThread() {
        var config = config().workers(2).cpus(List.of(0, 7))
            .pinner(cpu -> {
                if (cpu == 7) {
                    throw new IllegalArgumentException("sched_setaffinity failed: EINVAL");
                }
            })
            .workerHandler((batch, id) -> { }).egressHandler(batch -> { }).build();
        var e = assertThrows(IllegalStateException.class, () -> BatchPipeline.start(config));
        assertTrue(e.getMessage().startsWith("qgate-" + name + "-worker-1 could not be pinned to CPU 7"
            + " (sched_setaffinity failed: EINVAL); list only CPUs this process may run on"), e.getMessage());
        assertEquals(IllegalArgumentException.class, e.getCause().getClass());
        assertEquals(List.of(), threadsOf(name));
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met within " + TIMEOUT_SECONDS + " s");
            Thread.sleep(1);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
