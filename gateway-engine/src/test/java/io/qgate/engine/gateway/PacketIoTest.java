package io.qgate.engine.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.engine.config.GatewayConfig.IoBackend;
import io.qgate.ffm.linux.Errno;
import io.qgate.ffm.linux.Fd;
import io.qgate.ffm.linux.IoUring;
import io.qgate.ffm.linux.MessageBatch;
import io.qgate.ffm.linux.Sockaddr;
import io.qgate.ffm.linux.UdpOptions;
import io.qgate.ffm.linux.UdpSocket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Both I/O backends behind {@link PacketIo} do the same thing over real loopback sockets: receive
 * in order with sources, send runs and GSO runs in order, count what went, report (not throw)
 * a refused send and carry on with the rest, and wait for data or for the stop signal. The TUN
 * side is covered end to end by the namespace tunnel tests, which run with either backend.
 */
class PacketIoTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** A host that records errors and owns a stop eventfd. */
    static final class RecordingHost implements PacketIo.Host {
        final List<String> errors = new ArrayList<>();
        final List<String> lines = new ArrayList<>();
        final int stopFd = Fd.eventfd();
        volatile boolean running = true;

        @Override
        public void ioError(String call, int errno) {
            errors.add(call + " " + Errno.name(errno));
        }

        @Override
        public void log(String line) {
            lines.add(line);
        }

        @Override
        public int stopFd() {
            return stopFd;
        }

        @Override
        public boolean running() {
            return running;
        }
    }

    private final RecordingHost host = new RecordingHost();
    private final Arena arena = Arena.ofShared();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        Fd.close(host.stopFd);
        arena.close();
    }

    private <T extends AutoCloseable> T keep(T resource) {
        open.add(resource);
        return resource;
    }

    private PacketIo io(IoBackend backend) {
        if (backend == IoBackend.IO_URING) {
            Assumptions.assumeTrue(IoUring.available(), () -> "needs io_uring: " + IoUring.unavailableReason());
        }
        return keep(PacketIo.open(backend, host));
    }

    private UdpSocket socket(boolean gso) {
        return keep(UdpSocket.open(new InetSocketAddress("127.0.0.1", 0), new UdpOptions(false, 1 << 20, 1 << 20, gso, false)));
    }

    /** Sends {@code count} datagrams of {@code size} bytes, datagram k filled with byte k. */
    private static void sendPlain(UdpSocket from, UdpSocket to, int count, int size, Arena arena) {
        MemorySegment destination = Sockaddr.of(to.localAddress(), arena);
        MemorySegment data = arena.allocate(size);
        for (int k = 0; k < count; k++) {
            data.fill((byte) k);
            assertEquals(size, from.sendTo(data, size, destination));
        }
    }

    /** Receives until {@code count} datagrams came (within 5 s) and returns their first bytes. */
    private static List<Integer> receiveAll(PacketIo io, UdpSocket socket, MessageBatch messages, int count) {
        List<Integer> markers = new ArrayList<>();
        long deadline = System.nanoTime() + 5 * SECOND;
        while (markers.size() < count && System.nanoTime() < deadline) {
            int n = io.receive(socket, messages);
            for (int i = 0; i < n; i++) {
                markers.add(messages.buffer(i).get(ValueLayout.JAVA_BYTE, 0) & 0xFF);
            }
            if (n == 0) {
                io.awaitReadable(socket.fd());
            }
        }
        return markers;
    }

    private static List<Integer> upTo(int count) {
        List<Integer> expected = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            expected.add(k);
        }
        return expected;
    }

    @ParameterizedTest
    @EnumSource(IoBackend.class)
    void receivesNothingWithoutWaitingThenEveryDatagramInOrderWithItsSource(IoBackend backend) {
        PacketIo io = io(backend);
        UdpSocket receiver = socket(false);
        UdpSocket sender = socket(false);
        MessageBatch messages = keep(new MessageBatch(16, 2048));
        assertEquals(0, io.receive(receiver, messages), "nothing waits: 0 at once");
        sendPlain(sender, receiver, 40, 300, arena);
        assertEquals(upTo(40), receiveAll(io, receiver, messages, 40));
        assertEquals(sender.localAddress().getPort(), Sockaddr.port(messages.address(0)));
        assertEquals(300, messages.length(0));
        assertEquals(List.of(), host.errors);
    }

    @ParameterizedTest
    @EnumSource(IoBackend.class)
    void sendsRunsAndGsoRunsInOrderAndCountsThem(IoBackend backend) {
        PacketIo io = io(backend);
        UdpSocket receiver = socket(false);
        UdpSocket sender = socket(true);
        Assumptions.assumeTrue(sender.gso(), "needs UDP GSO on loopback");
        MessageBatch out = keep(new MessageBatch(16, 2048));
        MemorySegment destination = Sockaddr.of(receiver.localAddress(), arena);
        for (int i = 0; i < 12; i++) {
            out.buffer(i).fill((byte) i);
            out.length(i, i < 11 ? 1000 : 400);
            out.address(i, destination);
        }
        io.send(receiver, out, 0, 0); // an empty run sends nothing
        io.send(sender, out, 0, 4);
        io.sendSegmented(sender, out, 4, 8, 1000);
        assertEquals(12, io.flush(), "datagrams sent since the last flush");
        assertEquals(0, io.flush(), "a flush counts each datagram once");
        MessageBatch in = keep(new MessageBatch(16, 2048));
        assertEquals(upTo(12), receiveAll(io(IoBackend.BATCHED), receiver, in, 12));
        assertTrue(io.gso());
        assertEquals(List.of(), host.errors);
    }

    @ParameterizedTest
    @EnumSource(IoBackend.class)
    void aRefusedSendIsCountedAndTheRestStillLeavesInOrder(IoBackend backend) {
        PacketIo io = io(backend);
        UdpSocket receiver = socket(false);
        UdpSocket sender = socket(false);
        MessageBatch out = keep(new MessageBatch(8, 2048));
        MemorySegment destination = Sockaddr.of(receiver.localAddress(), arena);
        MemorySegment wrongFamily = Sockaddr.of(new InetSocketAddress("::1", 9), arena);
        for (int i = 0; i < 5; i++) {
            out.buffer(i).fill((byte) i);
            out.length(i, 100);
            out.address(i, i == 1 ? wrongFamily : destination); // an IPv6 destination on an IPv4 socket
        }
        io.send(sender, out, 0, 5);
        assertEquals(4, io.flush(), "every message but the refused one went");
        assertEquals(1, host.errors.size(), () -> "one error, counted: " + host.errors);
        assertTrue(host.errors.get(0).endsWith("EAFNOSUPPORT"), host.errors.get(0));
        MessageBatch in = keep(new MessageBatch(8, 2048));
        assertEquals(List.of(0, 2, 3, 4), receiveAll(io(IoBackend.BATCHED), receiver, in, 4));
    }

    @ParameterizedTest
    @EnumSource(IoBackend.class)
    void aWaitEndsWhenDataComesOrTheGatewayStops(IoBackend backend) {
        PacketIo io = io(backend);
        UdpSocket receiver = socket(false);
        UdpSocket sender = socket(false);

        long start = System.nanoTime();
        io.awaitReadable(receiver.fd());
        long idle = System.nanoTime() - start;
        assertTrue(idle > SECOND / 2 && idle < 3 * SECOND, "with nothing to read a wait gives up after about a second: " + idle / 1_000_000 + " ms");

        sendPlain(sender, receiver, 1, 10, arena);
        start = System.nanoTime();
        io.awaitReadable(receiver.fd());
        assertTrue(System.nanoTime() - start < SECOND / 2, "a waiting datagram ends the wait at once");
        MessageBatch in = keep(new MessageBatch(4, 2048));
        assertEquals(1, io.receive(receiver, in));

        MemorySegment one = arena.allocate(8);
        one.set(ValueLayout.JAVA_LONG, 0, 1L);
        assertEquals(8, Fd.write(host.stopFd, one, 8));
        host.running = false;
        start = System.nanoTime();
        io.awaitReadable(receiver.fd());
        assertTrue(System.nanoTime() - start < SECOND / 2, "the stop signal ends the wait at once");
    }
}
