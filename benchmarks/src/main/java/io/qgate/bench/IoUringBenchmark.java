package io.qgate.bench;

import io.qgate.ffm.linux.CompletionHandler;
import io.qgate.ffm.linux.Errno;
import io.qgate.ffm.linux.Fd;
import io.qgate.ffm.linux.IoUring;
import io.qgate.ffm.linux.Libc;
import io.qgate.ffm.linux.Sockaddr;
import io.qgate.ffm.linux.UdpOptions;
import io.qgate.ffm.linux.UdpSocket;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sending a batch of 32 datagrams of 1420 bytes on loopback UDP (a connected socket): 32
 * {@code write} system calls against one {@code io_uring_enter} carrying 32 writes, 32 writes
 * from a registered buffer ({@code WRITE_FIXED}), or 32 {@code sendmsg}. Scores are per
 * datagram. Nobody reads the receiving socket, so once its buffer is full the kernel drops at
 * the receiver; every variant pays that the same way, and the send itself succeeds.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.AGRONA_EXPORTS, Jvm.ML_DSA_OPENS, Jvm.AES_GCM_OPENS, Jvm.UNSAFE_ALLOW})
@OperationsPerInvocation(IoUringBenchmark.BATCH)
@State(Scope.Thread)
public class IoUringBenchmark {
    static final int BATCH = 32;
    static final int SIZE = 1420;

    private static final long MSGHDR_SIZE = 56;
    private static final MethodHandle CONNECT = Libc.downcall("connect",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    /** Counts failed sends, so a broken setup shows instead of measuring errors. */
    static final class Completions implements CompletionHandler {
        long failures;

        @Override
        public void complete(long userData, int result, int flags) {
            if (result != SIZE) {
                failures++;
            }
        }
    }

    private Arena arena;
    private UdpSocket receiver;
    private UdpSocket sender;
    private IoUring ring;
    private MemorySegment[] payloads;
    private MemorySegment fixed;
    private MemorySegment[] fixedSlices;
    private MemorySegment[] messages;
    private final Completions completions = new Completions();
    private long writeFailures;

    @Setup(Level.Trial)
    public void setUp() throws Throwable {
        if (!IoUring.available()) {
            throw new IllegalStateException("io_uring is needed: " + IoUring.unavailableReason());
        }
        arena = Arena.ofShared();
        receiver = loopbackSocket();
        sender = loopbackSocket();
        connect(sender, receiver.localAddress());
        ring = IoUring.open(64);
        payloads = new MemorySegment[BATCH];
        messages = new MemorySegment[BATCH];
        fixed = arena.allocate((long) BATCH * SIZE, 4096);
        fixedSlices = new MemorySegment[BATCH];
        for (int i = 0; i < BATCH; i++) {
            payloads[i] = arena.allocate(SIZE, 64);
            payloads[i].fill((byte) i);
            fixedSlices[i] = fixed.asSlice((long) i * SIZE, SIZE);
            fixedSlices[i].fill((byte) i);
            MemorySegment iovec = arena.allocate(16, 8);
            iovec.set(ValueLayout.JAVA_LONG, 0, payloads[i].address());
            iovec.set(ValueLayout.JAVA_LONG, 8, SIZE);
            messages[i] = arena.allocate(MSGHDR_SIZE, 8);
            messages[i].set(ValueLayout.JAVA_LONG, 16, iovec.address());
            messages[i].set(ValueLayout.JAVA_LONG, 24, 1L);
        }
        ring.registerBuffers(fixed);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ring.close();
        sender.close();
        receiver.close();
        arena.close();
        if (completions.failures + writeFailures > 0) {
            throw new IllegalStateException((completions.failures + writeFailures) + " sends failed");
        }
    }

    @Benchmark
    public long writeSystemCalls() {
        long sent = 0;
        for (int i = 0; i < BATCH; i++) {
            long n = Fd.write(sender.fd(), payloads[i], SIZE);
            if (n != SIZE) {
                writeFailures++;
            }
            sent += n;
        }
        return sent;
    }

    @Benchmark
    public int ioUringWrites() {
        for (int i = 0; i < BATCH; i++) {
            ring.write(sender.fd(), payloads[i], SIZE, i);
        }
        return submitAndDrain();
    }

    @Benchmark
    public int ioUringFixedWrites() {
        for (int i = 0; i < BATCH; i++) {
            ring.writeFixed(sender.fd(), fixedSlices[i], SIZE, 0, i);
        }
        return submitAndDrain();
    }

    @Benchmark
    public int ioUringSendmsg() {
        for (int i = 0; i < BATCH; i++) {
            ring.sendmsg(sender.fd(), messages[i], 0, i);
        }
        return submitAndDrain();
    }

    private int submitAndDrain() {
        int rc;
        do {
            rc = ring.submitAndWait(BATCH);
        } while (rc == -Errno.EINTR);
        return ring.drain(completions);
    }

    /** A blocking UDP socket on 127.0.0.1, as the write variants need (a full buffer waits, not fails). */
    private static UdpSocket loopbackSocket() {
        UdpSocket socket = UdpSocket.open(new InetSocketAddress("127.0.0.1", 0), UdpOptions.DEFAULTS);
        Fd.nonBlocking(socket.fd(), false);
        return socket;
    }

    /** Connects {@code socket} to {@code peer}, so that plain writes go there. */
    private void connect(UdpSocket socket, InetSocketAddress peer) throws Throwable {
        MemorySegment state = Libc.callState();
        MemorySegment address = Sockaddr.of(peer, arena);
        if ((int) CONNECT.invokeExact(state, socket.fd(), address, (int) address.byteSize()) < 0) {
            throw Libc.error("connect", state, peer.toString());
        }
    }
}
