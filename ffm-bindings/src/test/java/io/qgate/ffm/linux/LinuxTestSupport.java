package io.qgate.ffm.linux;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * What the TUN and rtnetlink tests share: the privilege check they skip on, random {@code qgt}
 * names, a view of this process's open descriptors, {@code ip} to observe (never to configure),
 * and running code in a thread without {@code CAP_NET_ADMIN}.
 */
final class LinuxTestSupport {
    /** {@code CAP_NET_ADMIN} (linux/capability.h). */
    private static final int CAP_NET_ADMIN = 12;
    /** {@code _LINUX_CAPABILITY_VERSION_3} (linux/capability.h): two 32-bit words per set. */
    private static final int CAPABILITY_VERSION_3 = 0x20080522;

    private static final MethodHandle CAPGET = Libc.downcall("capget",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle CAPSET = Libc.downcall("capset",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));

    private LinuxTestSupport() {
    }

    /** Skips the test unless this process holds CAP_NET_ADMIN and /dev/net/tun exists. */
    static void assumeNetAdminAndTun(String what) {
        assumeTrue(hasNetAdmin(), "needs root (CAP_NET_ADMIN) for " + what);
        assumeTrue(Files.exists(Path.of(TunDevice.CLONE_DEVICE)), "needs /dev/net/tun (modprobe tun) for " + what);
    }

    static boolean hasNetAdmin() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long effective = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return (effective & 1L << CAP_NET_ADMIN) != 0;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** A name no other test or helper uses: "qgt" and eight hex digits. */
    static String randomName() {
        return "qgt" + String.format("%08x", ThreadLocalRandom.current().nextInt());
    }

    /**
     * Host {@code host} (1 or 2) of a random /30 in 198.18.0.0/15, the benchmarking range of
     * RFC 2544, which routes nowhere real.
     */
    static byte[] randomSubnet30(int host) {
        int third = ThreadLocalRandom.current().nextInt(512);
        int fourth = ThreadLocalRandom.current().nextInt(64) * 4;
        return new byte[] {(byte) 198, (byte) (18 + (third >> 8)), (byte) third, (byte) (fourth + host)};
    }

    /** The targets of this process's open descriptors, one entry per descriptor ("fd -> target"). */
    static Set<String> openDescriptors() {
        Set<String> result = new HashSet<>();
        try (var entries = Files.list(Path.of("/proc/self/fd"))) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                try {
                    result.add(entry.getFileName() + " -> " + Files.readSymbolicLink(entry));
                } catch (IOException gone) {
                    // the listing's own descriptor, closed by now
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return result;
    }

    /** How many of this process's descriptors are open on {@code target} (such as /dev/net/tun). */
    static long descriptorsOn(String target) {
        return openDescriptors().stream().filter(d -> d.endsWith(" -> " + target)).count();
    }

    /** Runs {@code ip args...} (observation only), returning its output, or null if it exits non-zero. */
    static String ip(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "ip";
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("ip " + String.join(" ", args) + " did not finish in 10 s");
            }
            return process.exitValue() == 0 ? new String(output, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run ip: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code action} on a new thread whose effective capabilities lack CAP_NET_ADMIN
     * (capabilities are per thread on Linux, so the rest of the JVM keeps it), returning what it
     * threw, or null.
     */
    static Throwable withoutNetAdmin(Runnable action) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                dropNetAdminFromThisThread();
                action.run();
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "qgt-without-net-admin");
        thread.start();
        thread.join(30_000);
        if (thread.isAlive()) {
            throw new IllegalStateException("the thread without CAP_NET_ADMIN did not finish in 30 s");
        }
        return thrown.get();
    }

    private static void dropNetAdminFromThisThread() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment header = arena.allocate(8, 4);
            header.set(ValueLayout.JAVA_INT, 0, CAPABILITY_VERSION_3);
            MemorySegment data = arena.allocate(24, 4);
            MemorySegment state = Libc.callState();
            if ((int) CAPGET.invokeExact(state, header, data) < 0) {
                throw Libc.error("capget", state, "");
            }
            data.set(ValueLayout.JAVA_INT, 0, data.get(ValueLayout.JAVA_INT, 0) & ~(1 << CAP_NET_ADMIN));
            if ((int) CAPSET.invokeExact(state, header, data) < 0) {
                throw Libc.error("capset", state, "");
            }
        }
        if (hasNetAdminInThisThread()) {
            throw new IllegalStateException("CAP_NET_ADMIN is still effective after capset");
        }
    }

    private static boolean hasNetAdminInThisThread() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
            if (line.startsWith("CapEff:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 1L << CAP_NET_ADMIN) != 0;
            }
        }
        return true;
    }

    /** Retries {@code condition} every 10 ms for up to {@code millis}; whether it became true. */
    static boolean eventually(long millis, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.get()) {
                return true;
            }
            Thread.sleep(10);
        }
        return condition.get();
    }
}
