package io.qgate.ffm.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IoUringTest {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Recorder completions = new Recorder(256);
    private Arena arena;

    @BeforeEach
    void needsIoUring() {
        org.junit.jupiter.api.Assumptions.assumeTrue(IoUring.available(),
            () -> "needs io_uring: " + IoUring.unavailableReason());
        arena = Arena.ofConfined();
    }

    @AfterEach
    void freeMemory() {
        if (arena != null) {
            arena.close();
        }
    }

    /** Records completions in arrays, so tests can look at them in order. */
    static final class Recorder implements CompletionHandler {
        final long[] userData;
        final int[] results;
        final int[] flags;
        int count;

        Recorder(int capacity) {
            userData = new long[capacity];
            results = new int[capacity];
            flags = new int[capacity];
        }

        @Override
        public void complete(long data, int result, int cqeFlags) {
            userData[count] = data;
            results[count] = result;
            flags[count] = cqeFlags;
            count++;
        }

        int resultOf(long data) {
            for (int i = 0; i < count; i++) {
                if (userData[i] == data) {
                    return results[i];
                }
            }
            throw new AssertionError("no completion for user data " + data);
        }
    }

    /** Submits and drains until {@code expected} completions arrived, within {@link #WAIT_NANOS}. */
    private void completeAll(IoUring ring, int expected) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (completions.count < expected) {
            long left = deadline - System.nanoTime();
            assertTrue(left > 0, "only " + completions.count + " of " + expected + " completions within 5 s");
            int rc = ring.submitAndWait(1, left);
            assertTrue(rc >= 0 || rc == -Errno.ETIME || rc == -Errno.EINTR, "io_uring_enter: " + Errno.name(-rc));
            ring.drain(completions);
        }
    }

    @Test
    void nopRoundTripReturnsUserDataWithResultZero() {
        try (IoUring ring = IoUring.open(8)) {
            assertEquals(8, ring.sqEntries());
            assertEquals(16, ring.cqEntries());
            assertTrue(ring.nop(0xfeed_beefL));
            assertEquals(1, ring.unsubmitted());
            assertEquals(1, ring.submitAndWait(1));
            assertEquals(0, ring.unsubmitted());
            assertEquals(1, ring.ready());
            assertEquals(1, ring.drain(completions));
            assertEquals(0, ring.ready());
            assertEquals(1, completions.count);
            assertEquals(0xfeed_beefL, completions.userData[0]);
            assertEquals(0, completions.results[0]);
        }
    }

    @Test
    void submitWithNothingPreparedMakesNoRequest() {
        try (IoUring ring = IoUring.open(4)) {
            assertEquals(0, ring.submit());
            assertEquals(0, ring.drain(completions));
        }
    }

    @Test
    void aFullSubmissionQueueRefusesUntilSubmitted() {
        try (IoUring ring = IoUring.open(4)) {
            for (int i = 0; i < 4; i++) {
                assertTrue(ring.nop(i), "slot " + i);
            }
            assertFalse(ring.nop(4));
            assertEquals(4, ring.submit());
            assertTrue(ring.nop(4), "slots are free again once the kernel took the entries");
            completeAll(ring, 5);
            assertEquals(5, completions.count);
        }
    }

    @Test
    void ringWrapsAroundManyTimes() {
        try (IoUring ring = IoUring.open(2)) {
            for (int i = 0; i < 200; i++) {
                assertTrue(ring.nop(i));
                if (i % 2 == 1) {
                    assertEquals(2, ring.submitAndWait(2));
                    assertEquals(2, ring.drain(completions));
                    completions.count = 0;
                }
            }
            assertEquals(199, completions.userData[1]);
        }
    }

    @Test
    void completionsBeyondAFullCompletionQueueAreHeldBackNotLost() {
        try (IoUring ring = IoUring.open(1)) {
            assertEquals(2, ring.cqEntries());
            for (int i = 0; i < 3; i++) {
                assertTrue(ring.nop(i));
                assertEquals(1, ring.submit());
            }
            assertEquals(2, ring.ready());
            assertTrue(ring.completionsHeldBack());
            assertEquals(2, ring.drain(completions));
            assertEquals(0, ring.submitAndWait(0), "flushes what was held back");
            assertFalse(ring.completionsHeldBack());
            assertEquals(1, ring.drain(completions));
            assertEquals(2, completions.userData[2]);
        }
    }

    @Test
    void writesThenReadsAnEventfd() {
        int eventFd = Fd.eventfd();
        try (IoUring ring = IoUring.open(8)) {
            MemorySegment out = arena.allocate(8, 8);
            out.set(ValueLayout.JAVA_LONG, 0, 42L);
            MemorySegment in = arena.allocate(8, 8);
            assertTrue(ring.write(eventFd, out, 8, 1));
            completeAll(ring, 1);
            assertTrue(ring.read(eventFd, in, 8, 2));
            completeAll(ring, 2);
            assertEquals(8, completions.resultOf(1));
            assertEquals(8, completions.resultOf(2));
            assertEquals(42L, in.get(ValueLayout.JAVA_LONG, 0));
        } finally {
            Fd.close(eventFd);
        }
    }

    @Test
    void writesAndReadsAFileAtOffsets(@TempDir Path dir) throws Throwable {
        Path file = dir.resolve("ring.bin");
        int fd = Fd.open(file.toString(), Fd.O_RDWR | Fd.O_CREAT | Fd.O_CLOEXEC, 0600);
        try (IoUring ring = IoUring.open(8)) {
            MemorySegment first = arena.allocateFrom("first block ");
            MemorySegment second = arena.allocateFrom("second");
            assertTrue(ring.writeAt(fd, first, 12, 0, 1));
            assertTrue(ring.writeAt(fd, second, 6, 12, 2));
            completeAll(ring, 2);
            assertEquals(12, completions.resultOf(1));
            assertEquals(6, completions.resultOf(2));
            assertEquals("first block second", Files.readString(file));

            MemorySegment back = arena.allocate(32);
            assertTrue(ring.readAt(fd, back, 6, 12, 3));
            assertTrue(ring.read(fd, back.asSlice(8), 5, 4));
            completeAll(ring, 4);
            assertEquals(6, completions.resultOf(3));
            assertEquals("second", back.getString(0).substring(0, 6));
            assertEquals(5, completions.resultOf(4), "a read at the current position starts at offset 0 of a fresh fd");
            assertEquals("first", new String(back.asSlice(8, 5).toArray(ValueLayout.JAVA_BYTE)));
        } finally {
            Fd.close(fd);
        }
    }

    @Test
    void sendsAndReceivesBatchesOf32DatagramsInOneEnter() throws Throwable {
        int batch = 32;
        int size = 1420;
        try (UdpSocket receiver = LoopbackUdp.bindLoopback();
             UdpSocket sender = LoopbackUdp.bindLoopback();
             IoUring ring = IoUring.open(64)) {
            MemorySegment destination = Sockaddr.of(receiver.localAddress(), arena);
            MemorySegment[] received = new MemorySegment[batch];
            MemorySegment[] sources = new MemorySegment[batch];
            for (int i = 0; i < batch; i++) {
                received[i] = arena.allocate(2048);
                sources[i] = arena.allocate(Sockaddr.IN_BYTES, 4);
                assertTrue(ring.recvmsg(receiver.fd(), LoopbackUdp.msghdr(arena, received[i], sources[i]), 0, 1000 + i));
            }
            assertEquals(batch, ring.submit(), "32 receives posted in one enter");
            for (int i = 0; i < batch; i++) {
                MemorySegment payload = arena.allocate(size);
                payload.fill((byte) i);
                assertTrue(ring.sendmsg(sender.fd(), LoopbackUdp.msghdr(arena, payload, destination), 0, i));
            }
            assertEquals(0, completions.count);
            assertEquals(batch, ring.submit(), "32 sends in one enter");
            completeAll(ring, 2 * batch);

            boolean[] seen = new boolean[batch];
            for (int i = 0; i < batch; i++) {
                assertEquals(size, completions.resultOf(i), "send " + i);
                assertEquals(size, completions.resultOf(1000 + i), "receive " + i);
                byte marker = received[i].get(ValueLayout.JAVA_BYTE, 0);
                assertEquals(marker, received[i].get(ValueLayout.JAVA_BYTE, size - 1));
                seen[marker] = true;
                assertEquals(sender.localAddress().getPort(), Sockaddr.port(sources[i]), "recvmsg fills the source address");
            }
            for (int i = 0; i < batch; i++) {
                assertTrue(seen[i], "datagram " + i + " arrived");
            }
        }
    }

    @Test
    void aBadDescriptorCompletesWithMinusEbadf() {
        try (IoUring ring = IoUring.open(4)) {
            // Closed after the ring exists, so the ring's own fd cannot take the number.
            int closed = Fd.eventfd();
            Fd.close(closed);
            MemorySegment buffer = arena.allocate(8);
            assertTrue(ring.read(closed, buffer, 8, 7));
            completeAll(ring, 1);
            assertEquals(-Errno.EBADF, completions.resultOf(7));
        }
    }

    @Test
    void waitWithTimeoutReturnsAfterAboutTheTimeoutWhenNothingHappens() {
        try (IoUring ring = IoUring.open(4)) {
            long timeout = TimeUnit.MILLISECONDS.toNanos(100);
            long start = System.nanoTime();
            int rc = ring.submitAndWait(1, timeout);
            long elapsed = System.nanoTime() - start;
            assertEquals(-Errno.ETIME, rc);
            assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(90), "returned early after " + elapsed + " ns");
            assertTrue(elapsed < TimeUnit.SECONDS.toNanos(2), "returned late after " + elapsed + " ns");
            assertEquals(0, ring.drain(completions));
        }
    }

    @Test
    void waitWithTimeoutReturnsAtOnceWhenCompletionsAreThere() {
        try (IoUring ring = IoUring.open(4)) {
            assertTrue(ring.nop(1));
            long start = System.nanoTime();
            assertEquals(1, ring.submitAndWait(1, WAIT_NANOS));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1));
            assertEquals(1, ring.drain(completions));
        }
    }

    @Test
    void anotherThreadWakesABlockedWaiter() throws Exception {
        long wakeData = -1L;
        try (IoUringWaker waker = new IoUringWaker(); IoUring ring = IoUring.open(4)) {
            assertTrue(waker.arm(ring, wakeData));
            assertEquals(1, ring.submit());
            CountDownLatch waiting = new CountDownLatch(1);
            Thread other = Thread.ofPlatform().start(() -> {
                try {
                    waiting.await();
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
                waker.wake();
            });
            waiting.countDown();
            long start = System.nanoTime();
            int rc = ring.submitAndWait(1, WAIT_NANOS);
            long elapsed = System.nanoTime() - start;
            other.join(5_000);
            assertTrue(rc >= 0, "woken, not timed out: " + rc);
            assertTrue(elapsed < TimeUnit.SECONDS.toNanos(4), "woke after " + elapsed + " ns");
            assertEquals(1, ring.drain(completions));
            assertEquals(wakeData, completions.userData[0]);
            assertEquals(8, completions.results[0], "the eventfd read returns its 8-byte counter");

            assertTrue(waker.wake(), "a wake before arming is kept in the eventfd counter");
            assertTrue(waker.arm(ring, wakeData));
            assertEquals(1, ring.submitAndWait(1, WAIT_NANOS));
            assertEquals(1, ring.drain(completions));
            assertEquals(8, completions.results[1]);
        }
    }

    @Test
    void preparingSubmittingAndDrainingAllocatesNothing() {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().threadId();
        try (IoUring ring = IoUring.open(32)) {
            Recorder sink = new Recorder(32);
            // The interpreter and C1 allocate in downcalls; compiled code must not. Warm up until then.
            long allocated = Long.MAX_VALUE;
            for (int round = 0; round < 40 && allocated > 0; round++) {
                long before = threads.getThreadAllocatedBytes(self);
                for (int i = 0; i < 5_000; i++) {
                    for (int j = 0; j < 8; j++) {
                        ring.nop(j);
                    }
                    ring.submitAndWait(8);
                    sink.count = 0;
                    ring.drain(sink);
                }
                allocated = threads.getThreadAllocatedBytes(self) - before;
            }
            assertEquals(0, allocated, "40,000 compiled nop round trips allocated " + allocated + " bytes");
            assertEquals(8, sink.count);
        }
    }

    @Test
    void wakesCoalesceAndTheOwnerSeesEveryPublishedChange() throws Exception {
        int changes = 2_000;
        long wakeData = 99L;
        java.util.concurrent.atomic.AtomicInteger published = new java.util.concurrent.atomic.AtomicInteger();
        try (IoUringWaker waker = new IoUringWaker(); IoUring ring = IoUring.open(4)) {
            assertTrue(waker.arm(ring, wakeData));
            Thread producer = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < changes; i++) {
                    published.incrementAndGet();
                    waker.wake();
                }
            });
            int wakes = 0;
            int seen = 0;
            long deadline = System.nanoTime() + WAIT_NANOS;
            while (seen < changes && System.nanoTime() < deadline) {
                ring.submitAndWait(1, TimeUnit.MILLISECONDS.toNanos(100));
                completions.count = 0;
                if (ring.drain(completions) > 0) {
                    assertEquals(wakeData, completions.userData[0]);
                    assertEquals(8, completions.results[0]);
                    wakes++;
                    seen = published.get();
                    assertTrue(waker.arm(ring, wakeData));
                }
            }
            producer.join(5_000);
            assertEquals(changes, seen, "the last wake's completion shows the last change");
            assertTrue(wakes <= changes, "wakes coalesce: " + wakes + " completions for " + changes + " wakes");
        }
    }

    @Test
    void wakeAfterCloseDoesNothing() {
        IoUringWaker waker = new IoUringWaker();
        waker.close();
        waker.close();
        assertFalse(waker.wake());
    }

    @Test
    void closeIsIdempotentAndLeavesNoDescriptorOrMappingBehind() throws IOException {
        long before = openDescriptors();
        long mappedBefore = ringMappings();
        for (int i = 0; i < 20; i++) {
            IoUring ring = IoUring.open(64);
            assertTrue(ring.fd() >= 0);
            assertTrue(ringMappings() > mappedBefore, "the open ring shows in /proc/self/maps");
            ring.close();
            ring.close();
        }
        try (IoUringWaker waker = new IoUringWaker()) {
            assertTrue(waker.fd() >= 0);
        }
        assertEquals(before, openDescriptors());
        assertEquals(mappedBefore, ringMappings());
    }

    private static long ringMappings() throws IOException {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.filter(line -> line.contains("io_uring")).count();
        }
    }

    @Test
    void aClosedRingThrowsInsteadOfTouchingUnmappedMemory() {
        IoUring ring = IoUring.open(4);
        ring.close();
        assertThrows(IllegalStateException.class, () -> ring.nop(1));
        assertThrows(IllegalStateException.class, () -> ring.drain(completions));
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 3, 5000, 8192})
    void rejectsEntriesThatAreNotAPowerOfTwoUpTo4096(int entries) {
        var e = assertThrows(IllegalArgumentException.class, () -> IoUring.open(entries));
        assertEquals("io_uring entries must be a power of two from 1 to 4096, was " + entries, e.getMessage());
    }

    @Test
    void rejectsALengthLargerThanTheBuffer() {
        try (IoUring ring = IoUring.open(4)) {
            MemorySegment buffer = arena.allocate(8);
            assertThrows(IllegalArgumentException.class, () -> ring.read(0, buffer, 9, 1));
            assertThrows(IllegalArgumentException.class, () -> ring.write(1, buffer, -1, 1));
            assertThrows(IllegalArgumentException.class, () -> ring.read(0, MemorySegment.ofArray(new byte[8]), 8, 1));
            assertThrows(IllegalArgumentException.class, () -> ring.sendmsg(0, MemorySegment.ofArray(new long[7]), 0, 1));
            assertThrows(IllegalArgumentException.class, () -> ring.submitAndWait(-1));
            assertThrows(IllegalArgumentException.class, () -> ring.submitAndWait(1, -5));
            assertEquals(0, ring.unsubmitted(), "a refused request takes no slot");
        }
    }

    @Test
    void aHandlerThatThrowsKeepsTheRestOfTheCompletions() {
        try (IoUring ring = IoUring.open(4)) {
            for (int i = 0; i < 3; i++) {
                assertTrue(ring.nop(i));
            }
            assertEquals(3, ring.submitAndWait(3));
            assertThrows(IllegalStateException.class, () -> ring.drain((data, result, flags) -> {
                if (data == 1) {
                    throw new IllegalStateException("handler failed");
                }
            }));
            assertEquals(1, ring.drain(completions), "the completion after the failing one is still there");
            assertEquals(2, completions.userData[0]);
        }
    }

    @Test
    void registeredBuffersCarryFixedWritesAndReads(@TempDir Path dir) throws Throwable {
        int writer = Fd.open(dir.resolve("fixed.bin").toString(), Fd.O_RDWR | Fd.O_CREAT | Fd.O_CLOEXEC, 0600);
        int reader = Fd.open(dir.resolve("fixed.bin").toString(), Fd.O_RDWR | Fd.O_CREAT | Fd.O_CLOEXEC, 0600);
        try (IoUring ring = IoUring.open(8)) {
            MemorySegment out = arena.allocate(4096, 4096);
            MemorySegment in = arena.allocate(4096, 4096);
            ring.registerBuffers(out, in);
            for (int i = 0; i < 100; i++) {
                out.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 7));
            }
            assertTrue(ring.writeFixed(writer, out, 100, 0, 1));
            completeAll(ring, 1);
            assertTrue(ring.readFixed(reader, in.asSlice(10), 100, 1, 2));
            completeAll(ring, 2);
            assertEquals(100, completions.resultOf(1));
            assertEquals(100, completions.resultOf(2));
            assertArrayEquals(out.asSlice(0, 100).toArray(ValueLayout.JAVA_BYTE),
                in.asSlice(10, 100).toArray(ValueLayout.JAVA_BYTE));

            var twice = assertThrows(IllegalStateException.class, () -> ring.registerBuffers(out));
            assertEquals("buffers are already registered with this ring: unregister them first", twice.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ring.readFixed(reader, in, 10, 2, 3));
            assertThrows(IllegalArgumentException.class, () -> ring.readFixed(reader, out, 10, 1, 3));
            ring.unregisterBuffers();
            assertThrows(IllegalArgumentException.class, () -> ring.writeFixed(writer, out, 10, 0, 3));
            ring.registerBuffers(in);
        } finally {
            Fd.close(reader);
            Fd.close(writer);
        }
    }

    @Test
    void aBufferTheKernelRefusesSurfacesAsLinuxExceptionNamingTheCall() {
        try (IoUring ring = IoUring.open(4)) {
            var e = assertThrows(LinuxException.class, () -> ring.registerBuffers(MemorySegment.NULL.reinterpret(4096)));
            assertEquals("io_uring_register(IORING_REGISTER_BUFFERS)", e.call());
            assertEquals(Errno.EFAULT, e.errno());
            assertThrows(IllegalArgumentException.class, () -> ring.registerBuffers(MemorySegment.ofArray(new byte[16])));
            assertThrows(IllegalArgumentException.class, () -> ring.registerBuffers());
        }
    }

    @Test
    void isAvailableOnThisMachine() {
        assertTrue(IoUring.available());
        assertEquals("", IoUring.unavailableReason());
    }
}
