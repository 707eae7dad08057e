package io.qgate.bench;

import io.qgate.ffm.linux.Errno;
import io.qgate.ffm.linux.MessageBatch;
import io.qgate.ffm.linux.Sockaddr;
import io.qgate.ffm.linux.UdpOptions;
import io.qgate.ffm.linux.UdpSocket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sending 64 datagrams of 1420 bytes over loopback three ways: 64 {@code sendto} calls, one
 * {@code sendmmsg} of 64 messages, and one {@code sendmmsg} of 2 GSO messages of 32 segments each
 * (64 x 1420 B exceeds the 64 KiB a single UDP message may carry). Every operation also drains
 * the 64 datagrams at a plain receiver with {@code recvmmsg}, the same work in each case, so that
 * the receive queue never overflows and drops make no case look cheaper.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS})
@State(Scope.Thread)
public class UdpBatchBenchmark {
    private static final int DATAGRAMS = 64;
    private static final int SIZE = 1420;
    private static final int GSO_MESSAGES = 2;

    private UdpSocket receiver;
    private UdpSocket sender;
    private MessageBatch single;
    private MessageBatch gso;
    private MessageBatch drain;
    private Arena arena;
    private MemorySegment destination;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
        receiver = UdpSocket.open(loopback, new UdpOptions(false, 8 << 20, 0, false, false));
        sender = UdpSocket.open(loopback, new UdpOptions(false, 0, 8 << 20, true, false));
        if (!sender.gso()) {
            throw new IllegalStateException("this kernel lacks UDP_SEGMENT (Linux 4.18+)");
        }
        arena = Arena.ofConfined();
        destination = Sockaddr.of(receiver.localAddress(), arena);
        single = new MessageBatch(DATAGRAMS, 2048);
        for (int i = 0; i < DATAGRAMS; i++) {
            single.buffer(i).fill((byte) i);
            single.length(i, SIZE);
            single.address(i, destination);
        }
        gso = new MessageBatch(GSO_MESSAGES, MessageBatch.MAX_UDP_PAYLOAD);
        for (int i = 0; i < GSO_MESSAGES; i++) {
            gso.buffer(i).fill((byte) i);
            gso.length(i, SIZE * DATAGRAMS / GSO_MESSAGES);
            gso.segmentSize(i, SIZE);
            gso.address(i, destination);
        }
        drain = new MessageBatch(DATAGRAMS, 2048);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sender.close();
        receiver.close();
        single.close();
        gso.close();
        drain.close();
        arena.close();
    }

    @Benchmark
    public int sendtoEach() {
        for (int i = 0; i < DATAGRAMS; i++) {
            sender.sendTo(single.buffer(i), SIZE, destination);
        }
        return drain();
    }

    @Benchmark
    public int sendmmsg() {
        sender.send(single, DATAGRAMS);
        return drain();
    }

    @Benchmark
    public int sendmmsgGso() {
        sender.send(gso, GSO_MESSAGES);
        return drain();
    }

    /** Receives until the 64 datagrams are in, bounded in calls in case the kernel dropped some. */
    private int drain() {
        int received = 0;
        for (int calls = 0; received < DATAGRAMS && calls < 1_000; calls++) {
            int n = receiver.receive(drain);
            if (n < 0) {
                throw new IllegalStateException("recvmmsg failed: " + Errno.name(-n));
            }
            received += n;
        }
        return received;
    }
}
