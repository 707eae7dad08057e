package io.qgate.ffm.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The io_uring requests the gateway's io_uring backend is made of: {@code recvmsg} and
 * {@code sendmsg} over a {@link MessageBatch} (with GSO and GRO), non-waiting receives, one-shot
 * polls and linked chains. Loopback sockets only.
 */
class IoUringMessageBatchTest {
    private static final int MSG_DONTWAIT = 0x40;
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final IoUringTest.Recorder completions = new IoUringTest.Recorder(256);
    private Arena arena;

    @BeforeEach
    void needsIoUring() {
        Assumptions.assumeTrue(IoUring.available(), () -> "needs io_uring: " + IoUring.unavailableReason());
        arena = Arena.ofConfined();
    }

    @AfterEach
    void freeMemory() {
        if (arena != null) {
            arena.close();
        }
    }

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

    private static UdpSocket socket(boolean gso, boolean gro) {
        return UdpSocket.open(new InetSocketAddress("127.0.0.1", 0), new UdpOptions(false, 1 << 20, 1 << 20, gso, gro));
    }

    @Test
    void aGatheredGsoSendArrivesAsOneGroTrainWithItsSegmentSize() {
        try (UdpSocket receiver = socket(false, true);
             UdpSocket sender = socket(true, false);
             IoUring ring = IoUring.open(16);
             MessageBatch out = new MessageBatch(8, 2048);
             MessageBatch in = new MessageBatch(4, 65_536)) {
            Assumptions.assumeTrue(sender.gso() && receiver.gro(), "needs UDP GSO and GRO on loopback");
            MemorySegment destination = Sockaddr.of(receiver.localAddress(), arena);
            int[] lengths = {1000, 1000, 1000, 500};
            for (int i = 0; i < lengths.length; i++) {
                out.buffer(i).asSlice(0, lengths[i]).fill((byte) (i + 1));
                out.length(i, lengths[i]);
                out.address(i, destination);
            }
            assertTrue(ring.sendmsg(sender.fd(), out, 0, 4, 1000, 1));
            completeAll(ring, 1);
            assertEquals(3500, completions.resultOf(1), "one sendmsg carried all four messages");

            int received = 0;
            for (int round = 0; round < 50 && received < 3500; round++) {
                completions.count = 0;
                assertTrue(ring.recvmsg(receiver.fd(), in, 0, 0, 2));
                completeAll(ring, 1);
                int bytes = completions.resultOf(2);
                assertTrue(bytes > 0, "recvmsg: " + Errno.name(-bytes));
                in.received(0, bytes);
                int size = in.segmentSize(0) == 0 ? bytes : in.segmentSize(0);
                for (int at = 0; at < bytes; at += size) {
                    int datagram = (received + at) / 1000;
                    assertEquals((byte) (datagram + 1), in.buffer(0).get(ValueLayout.JAVA_BYTE, at),
                        "datagram " + datagram + " in order and intact");
                }
                received += bytes;
                assertEquals(sender.localAddress().getPort(), Sockaddr.port(in.address(0)), "the source is the sender");
            }
            assertEquals(3500, received);
        }
    }

    @Test
    void singleSendsAfterAGatherUseTheirOwnIovecAgain() {
        try (UdpSocket receiver = socket(false, false);
             UdpSocket sender = socket(true, false);
             IoUring ring = IoUring.open(16);
             MessageBatch out = new MessageBatch(4, 2048);
             MessageBatch in = new MessageBatch(4, 2048)) {
            Assumptions.assumeTrue(sender.gso(), "needs UDP GSO on loopback");
            MemorySegment destination = Sockaddr.of(receiver.localAddress(), arena);
            for (int i = 0; i < 2; i++) {
                out.length(i, 100);
                out.address(i, destination);
            }
            assertTrue(ring.sendmsg(sender.fd(), out, 0, 2, 100, 1));
            completeAll(ring, 1);
            assertEquals(200, completions.resultOf(1));
            assertTrue(ring.sendmsg(sender.fd(), out, 0, 1, 0, 2));
            completeAll(ring, 2);
            assertEquals(100, completions.resultOf(2), "message 0 alone: its gather of two iovecs is undone");
        }
    }

    @Test
    void aReceiveThatMayNotWaitCompletesAtOnceWithEagain() {
        try (UdpSocket receiver = socket(false, false);
             IoUring ring = IoUring.open(4);
             MessageBatch in = new MessageBatch(2, 2048)) {
            assertTrue(ring.recvmsg(receiver.fd(), in, 0, MSG_DONTWAIT, 9));
            assertEquals(1, ring.submitAndWait(1, TimeUnit.SECONDS.toNanos(2)));
            ring.drain(completions);
            assertEquals(1, completions.count, "completed inside the submitting call, without waiting for data");
            assertEquals(-Errno.EAGAIN, completions.resultOf(9));
        }
    }

    @Test
    void aPollCompletesWithPollinOnceADatagramWaits() {
        try (UdpSocket receiver = socket(false, false);
             UdpSocket sender = socket(false, false);
             IoUring ring = IoUring.open(4)) {
            assertTrue(ring.pollAdd(receiver.fd(), Fd.POLLIN, 3));
            assertEquals(1, ring.submit());
            assertEquals(-Errno.ETIME, ring.submitAndWait(1, TimeUnit.MILLISECONDS.toNanos(50)), "nothing to read yet");
            MemorySegment data = arena.allocate(8);
            assertEquals(8, sender.sendTo(data, 8, Sockaddr.of(receiver.localAddress(), arena)));
            completeAll(ring, 1);
            assertTrue((completions.resultOf(3) & Fd.POLLIN) != 0, "POLLIN in the completion's mask");
        }
    }

    @Test
    void aNoWaitReadOfAnEmptyTunCompletesAtOnceWithEagain() {
        LinuxTestSupport.assumeNetAdminAndTun("a TUN device to read from");
        try (TunDevice tun = TunDevice.open(LinuxTestSupport.randomName(), 1, false);
             IoUring ring = IoUring.open(8)) {
            MemorySegment buffer = arena.allocate(2048);
            for (int i = 0; i < 4; i++) {
                assertTrue(ring.readNoWait(tun.fd(0), buffer, 2048, i));
            }
            assertEquals(4, ring.submitAndWait(4, TimeUnit.SECONDS.toNanos(2)));
            ring.drain(completions);
            assertEquals(4, completions.count, "all four completed inside the submitting call");
            for (int i = 0; i < 4; i++) {
                assertEquals(-Errno.EAGAIN, completions.resultOf(i));
            }
        }
    }

    @Test
    void aFailedLinkCancelsTheRestOfItsChain() {
        try (IoUring ring = IoUring.open(4)) {
            int closed = Fd.eventfd();
            Fd.close(closed);
            assertTrue(ring.read(closed, arena.allocate(8), 8, 1));
            ring.linkLast();
            assertTrue(ring.nop(2));
            completeAll(ring, 2);
            assertEquals(-Errno.EBADF, completions.resultOf(1));
            assertEquals(-Errno.ECANCELED, completions.resultOf(2), "the linked request never ran");
        }
    }

    @Test
    void linkingWithNothingPreparedIsRefused() {
        try (IoUring ring = IoUring.open(4)) {
            assertThrows(IllegalStateException.class, ring::linkLast);
            assertTrue(ring.nop(1));
            ring.submit();
            IllegalStateException e = assertThrows(IllegalStateException.class, ring::linkLast,
                "a submitted request cannot be linked any more");
            assertTrue(e.getMessage().contains("prepare one first"), e.getMessage());
        }
    }

    @Test
    void moveCarriesDataAddressAndSegmentSize() {
        try (MessageBatch batch = new MessageBatch(3, 256)) {
            MemorySegment source = Sockaddr.of(new InetSocketAddress("127.0.0.9", 4242), arena);
            batch.address(2, source);
            batch.buffer(2).asSlice(0, 40).fill((byte) 7);
            batch.received(2, 40);
            batch.move(2, 0);
            assertEquals(40, batch.length(0));
            assertEquals((byte) 7, batch.buffer(0).get(ValueLayout.JAVA_BYTE, 39));
            assertEquals(4242, Sockaddr.port(batch.address(0)));
            assertEquals(Sockaddr.IN_BYTES, batch.addressLength(0));
            assertEquals(0, batch.segmentSize(0));
        }
    }

    @Test
    void aReceivedLengthBeyondTheRoomIsRefused() {
        try (MessageBatch batch = new MessageBatch(1, 256)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> batch.received(0, 257));
            assertTrue(e.getMessage().contains("0 to 256"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> batch.received(0, -1));
        }
    }

    @Test
    void aBadGsoRunIsRefusedBeforeAnythingIsPrepared() {
        try (IoUring ring = IoUring.open(4); MessageBatch out = new MessageBatch(4, 2048)) {
            out.length(0, 100);
            out.length(1, 200);
            assertThrows(IllegalArgumentException.class, () -> ring.sendmsg(3, out, 0, 2, 100, 1),
                "the last message is longer than the segment size");
            assertEquals(0, ring.unsubmitted());
        }
    }
}
