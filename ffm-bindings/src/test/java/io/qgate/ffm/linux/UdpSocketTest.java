package io.qgate.ffm.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Everything here runs on loopback (127.0.0.1 and ::1) with ephemeral ports. */
class UdpSocketTest {
    private static final int BIG = MessageBatch.MAX_UDP_PAYLOAD + 256;
    private static final UdpOptions GSO = new UdpOptions(false, 0, 0, true, false);

    private static InetSocketAddress loopback(String ip) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(ip), 0);
    }

    /** A receiver and a sender on one loopback address, and an arena holding the receiver's sockaddr. */
    private record Link(UdpSocket receiver, UdpSocket sender, Arena arena, MemorySegment destination)
        implements AutoCloseable {
        static Link open(String ip, UdpOptions receiverOptions, UdpOptions senderOptions) throws IOException {
            UdpSocket receiver = UdpSocket.open(loopback(ip), receiverOptions);
            UdpSocket sender = UdpSocket.open(loopback(ip), senderOptions);
            Arena arena = Arena.ofConfined();
            return new Link(receiver, sender, arena, Sockaddr.of(receiver.localAddress(), arena));
        }

        static Link open(String ip) throws IOException {
            return open(ip, UdpOptions.DEFAULTS, UdpOptions.DEFAULTS);
        }

        /** The sender's address as the receiver sees it. */
        MemorySegment source() {
            return Sockaddr.of(sender.localAddress(), arena);
        }

        @Override
        public void close() {
            sender.close();
            receiver.close();
            arena.close();
        }
    }

    private static byte pattern(int message, int at) {
        return (byte) (message * 31 + at * 7 + 1);
    }

    /** Waits up to {@code millis} for {@code socket} to be readable. */
    private static boolean readable(UdpSocket socket, int millis) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfd = arena.allocate(Fd.POLLFD_SIZE, 4);
            pollfd.set(ValueLayout.JAVA_INT, 0, socket.fd());
            pollfd.set(ValueLayout.JAVA_SHORT, 4, Fd.POLLIN);
            return Fd.poll(pollfd, 1, millis) == 1;
        }
    }

    /**
     * Receives into {@code batch} until {@code messages} messages arrived in total or 2 s passed,
     * and returns the total. Each receive overwrites the batch from message 0, so only the last
     * call's contents remain; on loopback a send has queued everything before it returns, so the
     * callers that check contents get all of it from one receive.
     */
    private static int receiveAtLeast(UdpSocket socket, MessageBatch batch, int messages) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        int total = 0;
        while (total < messages && System.nanoTime() < deadline) {
            if (readable(socket, 200)) {
                int n = socket.receive(batch);
                assertTrue(n >= 0, "receive failed: " + Errno.name(-n));
                total += n;
            }
        }
        return total;
    }

    private static void fill(MessageBatch batch, int i, int length) {
        MemorySegment buffer = batch.buffer(i);
        int offset = batch.bufferOffset(i);
        for (int at = 0; at < length; at++) {
            buffer.set(ValueLayout.JAVA_BYTE, offset + at, pattern(i, at));
        }
        buffer.set(ValueLayout.JAVA_INT_UNALIGNED, offset, i);
        batch.length(i, length);
    }

    private static void assertContents(MessageBatch batch, int i, int message, int length) {
        MemorySegment buffer = batch.buffer(i);
        int offset = batch.bufferOffset(i);
        assertEquals(length, batch.length(i), "length of message " + message);
        assertEquals(message, buffer.get(ValueLayout.JAVA_INT_UNALIGNED, offset));
        for (int at = 4; at < length; at++) {
            if (buffer.get(ValueLayout.JAVA_BYTE, offset + at) != pattern(message, at)) {
                throw new AssertionError("message " + message + " differs at byte " + at);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void batchOf32DatagramsSentByOneSendmmsgArrivesIntactWithLengthsAndSource(String ip) throws Exception {
        try (Link link = Link.open(ip);
             MessageBatch out = new MessageBatch(32, 2048);
             MessageBatch in = new MessageBatch(64, 2048)) {
            for (int i = 0; i < 32; i++) {
                fill(out, i, 100 + 37 * i);
                out.address(i, link.destination());
            }
            assertEquals(32, link.sender().send(out, 32));
            int received = receiveAtLeast(link.receiver(), in, 32);
            assertEquals(32, received, "one receive returns the whole queue");
            MemorySegment source = link.source();
            for (int i = 0; i < 32; i++) {
                int message = in.buffer(i).get(ValueLayout.JAVA_INT_UNALIGNED, 0);
                assertContents(in, i, message, 100 + 37 * message);
                assertTrue(Sockaddr.equals(source, in.address(i)), "source of message " + i);
                assertEquals(link.sender().localAddress(), Sockaddr.decode(in.address(i), in.addressLength(i)));
                assertEquals(0, in.segmentSize(i), "no GRO asked for");
                assertFalse(in.truncated(i));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void gsoMessageOfTenSegmentsArrivesAsTenDatagramsAtAPlainReceiver(String ip) throws Exception {
        try (Link link = Link.open(ip, UdpOptions.DEFAULTS, GSO);
             MessageBatch out = new MessageBatch(1, BIG);
             MessageBatch in = new MessageBatch(16, 2048)) {
            assertTrue(link.sender().gso(), "this kernel lacks UDP_SEGMENT (Linux 4.18+)");
            fill(out, 0, 12_000);
            out.segmentSize(0, 1200);
            out.address(0, link.destination());
            assertEquals(1, link.sender().send(out, 1));
            assertEquals(10, receiveAtLeast(link.receiver(), in, 10));
            for (int i = 0; i < 10; i++) {
                assertEquals(1200, in.length(i));
                assertEquals(0, in.segmentSize(i));
                for (int at = 0; at < 1200; at++) {
                    int original = i * 1200 + at;
                    byte expected = original < 4 ? out.buffer(0).get(ValueLayout.JAVA_BYTE, original) : pattern(0, original);
                    assertEquals(expected, in.buffer(i).get(ValueLayout.JAVA_BYTE, at), "datagram " + i + " byte " + at);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void segmentedSendGathersSeparateBuffersIntoOneGsoSend(String ip) throws Exception {
        try (Link link = Link.open(ip, UdpOptions.DEFAULTS, GSO);
             MessageBatch out = new MessageBatch(8, 2048);
             MessageBatch in = new MessageBatch(16, 2048)) {
            int[] lengths = {1200, 1200, 1200, 1200, 700};
            for (int i = 0; i < lengths.length; i++) {
                for (int at = 0; at < lengths[i]; at++) {
                    out.buffer(i).set(ValueLayout.JAVA_BYTE, at, (byte) (i * 31 + at));
                }
                out.length(i, lengths[i]);
            }
            out.address(0, link.destination());
            assertEquals(5500, link.sender().sendSegmented(out, 0, 5, 1200));
            assertEquals(5, receiveAtLeast(link.receiver(), in, 5));
            for (int i = 0; i < lengths.length; i++) {
                assertEquals(lengths[i], in.length(i));
                for (int at = 0; at < lengths[i]; at++) {
                    assertEquals((byte) (i * 31 + at), in.buffer(i).get(ValueLayout.JAVA_BYTE, at), "datagram " + i + " byte " + at);
                }
            }
            // the batch is usable as before: message 0 alone goes out with its own single iovec
            assertEquals(1, link.sender().send(out, 0, 1));
            assertEquals(1, receiveAtLeast(link.receiver(), in, 1));
            assertEquals(1200, in.length(0));
        }
    }

    @Test
    void segmentedSendRefusesSizesGsoCannotCarry() throws Exception {
        try (Link link = Link.open("127.0.0.1", UdpOptions.DEFAULTS, GSO);
             MessageBatch out = new MessageBatch(8, 2048)) {
            out.address(0, link.destination());
            out.length(0, 1000);
            out.length(1, 1200);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> link.sender().sendSegmented(out, 0, 2, 1200));
            assertTrue(e.getMessage().contains("must be exactly 1200"), e.getMessage());
            out.length(0, 1200);
            out.length(1, 1300);
            assertThrows(IllegalArgumentException.class, () -> link.sender().sendSegmented(out, 0, 2, 1200));
            assertThrows(IllegalArgumentException.class, () -> link.sender().sendSegmented(out, 7, 2, 1200));
            assertThrows(IllegalArgumentException.class, () -> link.sender().sendSegmented(out, 0, 0, 1200));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void groReceiverGetsCoalescedBuffersWithTheSegmentSize(String ip) throws Exception {
        try (Link link = Link.open(ip, new UdpOptions(false, 0, 0, false, true), GSO);
             MessageBatch out = new MessageBatch(1, BIG);
             MessageBatch in = new MessageBatch(16, BIG)) {
            assertTrue(link.receiver().gro(), "this kernel lacks UDP_GRO (Linux 5.0+)");
            fill(out, 0, 10 * 1200 + 500);
            out.segmentSize(0, 1200);
            out.address(0, link.destination());
            assertEquals(1, link.sender().send(out, 1));
            int messages = receiveAtLeast(link.receiver(), in, 1);
            if (messages == 1 && in.segmentSize(0) != 0) {
                assertEquals(1200, in.segmentSize(0));
                assertEquals(12_500, in.length(0), "ten full segments and a short last one");
                assertContents(in, 0, 0, 12_500);
                assertTrue(Sockaddr.equals(link.source(), in.address(0)));
            } else {
                messages += receiveAtLeast(link.receiver(), in, 11 - messages);
                System.out.println("UDP GRO did not coalesce on this kernel's loopback; all 11 datagrams arrived separately");
                assertEquals(11, messages);
            }
        }
    }

    @Test
    void dualStackSocketReceivesIpv4AsMappedAndRepliesToIt() throws Exception {
        try (UdpSocket dual = UdpSocket.open(loopback("::"), UdpOptions.DEFAULTS);
             UdpSocket v4 = UdpSocket.open(loopback("127.0.0.1"), UdpOptions.DEFAULTS);
             MessageBatch batch = new MessageBatch(4, 2048);
             MessageBatch reply = new MessageBatch(4, 2048);
             Arena arena = Arena.ofConfined()) {
            InetSocketAddress target = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), dual.localAddress().getPort());
            MemorySegment hello = arena.allocateFrom("hello over IPv4");
            assertEquals((int) hello.byteSize(), v4.sendTo(hello, (int) hello.byteSize(), Sockaddr.of(target, arena)));
            assertEquals(1, receiveAtLeast(dual, batch, 1));
            assertEquals(Sockaddr.AF_INET6, Sockaddr.family(batch.address(0)), "the kernel reports a mapped address");
            assertTrue(Sockaddr.equals(Sockaddr.of(v4.localAddress(), arena), batch.address(0)));
            InetSocketAddress source = Sockaddr.decode(batch.address(0), batch.addressLength(0));
            assertInstanceOf(Inet4Address.class, source.getAddress());
            assertEquals(v4.localAddress(), source);
            // Echo the received message back to its source, as a responder does.
            assertEquals(1, dual.send(batch, 1));
            assertEquals(1, receiveAtLeast(v4, reply, 1));
            assertEquals("hello over IPv4", reply.buffer(0).getString(0));
        }
    }

    @Test
    void receiveReturnsZeroWhenNothingIsWaiting() throws Exception {
        try (UdpSocket socket = UdpSocket.open(loopback("127.0.0.1"), UdpOptions.DEFAULTS);
             MessageBatch batch = new MessageBatch(4, 2048)) {
            assertEquals(0, socket.receive(batch));
        }
    }

    @Test
    void sendFromAnOffsetSendsOnlyTheRemainingMessages() throws Exception {
        try (Link link = Link.open("127.0.0.1");
             MessageBatch out = new MessageBatch(4, 256);
             MessageBatch in = new MessageBatch(8, 256)) {
            for (int i = 0; i < 4; i++) {
                fill(out, i, 50 + i);
                out.address(i, link.destination());
            }
            UdpSocket sender = link.sender();
            assertEquals(2, sender.send(out, 2, 2));
            assertEquals(0, sender.send(out, 4, 0));
            assertEquals(2, receiveAtLeast(link.receiver(), in, 2));
            assertEquals(2, in.buffer(0).get(ValueLayout.JAVA_INT_UNALIGNED, 0));
            assertEquals(3, in.buffer(1).get(ValueLayout.JAVA_INT_UNALIGNED, 0));
            assertEquals(0, link.receiver().receive(in), "nothing else was sent");
            assertThrows(IllegalArgumentException.class, () -> sender.send(out, 3, 2));
            assertThrows(IllegalArgumentException.class, () -> sender.send(out, -1, 1));
        }
    }

    @Test
    void receiveWritesAfterTheBufferOffsetAndLeavesTheHeadroomAlone() throws Exception {
        try (Link link = Link.open("::1");
             MessageBatch out = new MessageBatch(1, 256);
             MessageBatch in = new MessageBatch(1, 256)) {
            out.bufferOffset(0, 16);
            fill(out, 0, 200);
            out.address(0, link.destination());
            in.bufferOffset(0, 80);
            in.buffer(0).fill((byte) 0x5a);
            assertEquals(1, link.sender().send(out, 1));
            assertEquals(1, receiveAtLeast(link.receiver(), in, 1));
            assertEquals(176, in.length(0), "truncated to the room after the offset");
            assertTrue(in.truncated(0));
            for (int at = 0; at < 80; at++) {
                assertEquals((byte) 0x5a, in.buffer(0).get(ValueLayout.JAVA_BYTE, at));
            }
            assertContents(in, 0, 0, 176);
        }
    }

    @Test
    void bindToAnAddressInUseFailsWithEaddrinuseNamingTheAddress() throws Exception {
        try (UdpSocket first = UdpSocket.open(loopback("127.0.0.1"), UdpOptions.DEFAULTS)) {
            InetSocketAddress taken = first.localAddress();
            var e = assertThrows(LinuxException.class, () -> UdpSocket.open(taken, UdpOptions.DEFAULTS));
            assertEquals("bind", e.call());
            assertEquals(Errno.EADDRINUSE, e.errno());
            assertTrue(e.getMessage().contains(taken.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("EADDRINUSE"), e.getMessage());
        }
    }

    @Test
    void bindToAnAddressNotOnAnyInterfaceFailsWithEaddrnotavail() throws Exception {
        // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never configured on a host.
        InetSocketAddress absent = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 0);
        var e = assertThrows(LinuxException.class, () -> UdpSocket.open(absent, UdpOptions.DEFAULTS));
        assertEquals("bind", e.call());
        assertEquals(Errno.EADDRNOTAVAIL, e.errno());
        assertTrue(e.getMessage().contains("not configured on any interface"), e.getMessage());
    }

    @Test
    void openRejectsAnUnresolvedAddress() {
        var e = assertThrows(IllegalArgumentException.class,
            () -> UdpSocket.open(InetSocketAddress.createUnresolved("gateway.example", 51820), UdpOptions.DEFAULTS));
        assertTrue(e.getMessage().contains("unresolved"), e.getMessage());
    }

    @Test
    void steadyStateSendAndReceiveAllocateNothing() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        try (Link link = Link.open("127.0.0.1");
             MessageBatch out = new MessageBatch(16, 256);
             MessageBatch in = new MessageBatch(16, 256)) {
            UdpSocket sender = link.sender();
            UdpSocket receiver = link.receiver();
            for (int i = 0; i < 16; i++) {
                fill(out, i, 64);
                out.address(i, link.destination());
            }
            // The interpreter and C1 allocate around downcalls; compiled code must not. Rounds run
            // until one allocates nothing, at most 15 rounds or 10 s.
            long allocated = Long.MAX_VALUE;
            int received = 0;
            long deadline = System.nanoTime() + 10_000_000_000L;
            for (int round = 0; round < 15 && allocated > 0 && System.nanoTime() < deadline; round++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 2_000; i++) {
                    sender.send(out, 16);
                    received += Math.max(0, receiver.receive(in));
                }
                allocated = threads.getCurrentThreadAllocatedBytes() - before;
            }
            assertTrue(received > 0);
            assertEquals(0, allocated, "2000 compiled send+receive calls allocated bytes");
        }
    }

    @Test
    void reusePortLetsTwoSocketsBindTheSamePort() throws Exception {
        UdpOptions shared = new UdpOptions(true, 0, 0, false, false);
        try (UdpSocket first = UdpSocket.open(loopback("::1"), shared);
             UdpSocket second = UdpSocket.open(first.localAddress(), shared)) {
            assertEquals(first.localAddress(), second.localAddress());
            assertNotEquals(first.fd(), second.fd());
        }
    }

    @Test
    void portZeroIsReportedAsTheRealPort() throws Exception {
        try (UdpSocket socket = UdpSocket.open(loopback("127.0.0.1"), UdpOptions.DEFAULTS)) {
            assertTrue(socket.localAddress().getPort() > 0);
            assertEquals(InetAddress.getByName("127.0.0.1"), socket.localAddress().getAddress());
        }
    }

    @Test
    void requestedBufferSizesAreSetAndReadBack() throws Exception {
        int asked = 4 << 20;
        try (UdpSocket plain = UdpSocket.open(loopback("127.0.0.1"), UdpOptions.DEFAULTS);
             UdpSocket big = UdpSocket.open(loopback("127.0.0.1"), UdpOptions.dataPlane(asked))) {
            assertTrue(plain.receiveBufferBytes() > 0 && plain.sendBufferBytes() > 0);
            assertTrue(big.receiveBufferBytes() >= plain.receiveBufferBytes());
            if (isRoot()) {
                // SO_*BUFFORCE ignores net.core.[rw]mem_max; the kernel doubles what it is given.
                assertEquals(2 * asked, big.receiveBufferBytes());
                assertEquals(2 * asked, big.sendBufferBytes());
            }
        }
    }

    @Test
    void oversizeSendsReturnTheKernelsErrno() throws Exception {
        try (Link link = Link.open("127.0.0.1", UdpOptions.DEFAULTS, GSO);
             MessageBatch out = new MessageBatch(1, 70_000);
             MessageBatch nothing = new MessageBatch(1, 64)) {
            UdpSocket sender = link.sender();
            MemorySegment destination = link.destination();
            out.address(0, destination);
            out.length(0, 65_508);
            assertEquals(-Errno.EMSGSIZE, sender.send(out, 1), "an IPv4 UDP payload is at most 65507 bytes");
            assertEquals(-Errno.EMSGSIZE, sender.sendTo(out.buffer(0), 65_508, destination));

            out.length(0, 20_000);
            out.segmentSize(0, 100);
            int tooManySegments = sender.send(out, 1);
            assertTrue(tooManySegments == -Errno.EINVAL || tooManySegments == -Errno.EMSGSIZE,
                "200 segments exceed the kernel's limit, got " + tooManySegments);
            assertEquals(0, link.receiver().receive(nothing), "nothing was sent");
        }
    }

    @Test
    void closedSocketReturnsEbadfAndCloseIsIdempotent() throws Exception {
        UdpSocket socket = UdpSocket.open(loopback("127.0.0.1"), UdpOptions.DEFAULTS);
        try (MessageBatch batch = new MessageBatch(1, 64); Arena arena = Arena.ofConfined()) {
            MemorySegment self = Sockaddr.of(socket.localAddress(), arena);
            socket.close();
            socket.close();
            assertEquals(-1, socket.fd());
            assertEquals(-Errno.EBADF, socket.receive(batch));
            batch.address(0, self);
            batch.length(0, 8);
            assertEquals(-Errno.EBADF, socket.send(batch, 1));
            assertEquals(-Errno.EBADF, socket.sendTo(batch.buffer(0), 8, self));
        }
    }

    @Test
    void sendToRejectsALengthPastTheData() throws Exception {
        try (UdpSocket socket = UdpSocket.open(loopback("127.0.0.1"), UdpOptions.DEFAULTS);
             Arena arena = Arena.ofConfined()) {
            MemorySegment self = Sockaddr.of(socket.localAddress(), arena);
            assertThrows(IllegalArgumentException.class, () -> socket.sendTo(arena.allocate(8), 9, self));
        }
    }

    @Test
    void sendingToTheWrongFamilyIsAnErrnoNotAnException() throws Exception {
        try (UdpSocket v4 = UdpSocket.open(loopback("127.0.0.1"), UdpOptions.DEFAULTS);
             Arena arena = Arena.ofConfined()) {
            MemorySegment v6 = Sockaddr.of(new InetSocketAddress(InetAddress.getByName("::1"), 9), arena);
            int rc = v4.sendTo(arena.allocate(8), 8, v6);
            assertTrue(rc == -Errno.EAFNOSUPPORT || rc == -Errno.EINVAL, "got " + rc);
        }
    }

    @Test
    void openingAndClosingLeaksNoFileDescriptor() throws Exception {
        long before = openFds();
        for (int i = 0; i < 20; i++) {
            try (UdpSocket socket = UdpSocket.open(loopback(i % 2 == 0 ? "127.0.0.1" : "::"), UdpOptions.dataPlane(1 << 20))) {
                assertTrue(socket.fd() >= 0);
                assertThrows(LinuxException.class, () -> UdpSocket.open(socket.localAddress(), UdpOptions.DEFAULTS));
            }
        }
        assertEquals(before, openFds(), "open descriptors before and after");
        assertFalse(Files.exists(Path.of("/proc/self/fd/-1")));
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static boolean isRoot() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
            .anyMatch(line -> line.startsWith("Uid:") && line.split("\\s+")[2].equals("0"));
    }
}
