package io.qgate.ffm.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;

/**
 * CPU affinity of the calling thread ({@code sched_setaffinity(2)} with pid 0, which means the
 * calling thread, not the process), for pinning data-path workers.
 *
 * <p>Concurrency: each method acts on the thread that calls it only; all are safe to call from
 * any thread at any time.
 */
public final class Affinity {
    /** {@code CPU_SETSIZE} (glibc bits/cpu-set.h): CPUs 0 to 1023 fit the mask. */
    public static final int MAX_CPUS = 1024;
    private static final long MASK_BYTES = MAX_CPUS / 8;
    /** {@code _SC_NPROCESSORS_ONLN} (glibc bits/confname.h). */
    private static final int SC_NPROCESSORS_ONLN = 84;

    private static final MethodHandle SET = Libc.downcall("sched_setaffinity",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
    private static final MethodHandle GET = Libc.downcall("sched_getaffinity",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
    private static final MethodHandle SYSCONF = Libc.downcall("sysconf",
        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));

    private Affinity() {
    }

    /**
     * Restricts the calling thread to CPU {@code cpu}.
     *
     * @throws IllegalArgumentException if {@code cpu} is outside 0..{@value #MAX_CPUS}-1
     * @throws LinuxException ({@code EINVAL}) if the CPU is offline or outside the CPUs this
     *     process may use (its cpuset or container)
     */
    public static void pinCurrentThread(int cpu) {
        setCurrentThreadCpus(cpu);
    }

    /**
     * Restricts the calling thread to the given CPUs (for example to restore what
     * {@link #currentThreadCpus()} returned before a pin).
     *
     * @throws IllegalArgumentException if none is given or one is outside 0..{@value #MAX_CPUS}-1
     * @throws LinuxException ({@code EINVAL}) if none of them is online and allowed
     */
    public static void setCurrentThreadCpus(int... cpus) {
        if (cpus == null || cpus.length == 0) {
            throw new IllegalArgumentException("at least one CPU is needed");
        }
        for (int cpu : cpus) {
            if (cpu < 0 || cpu >= MAX_CPUS) {
                throw new IllegalArgumentException("CPU " + cpu + " is outside 0.." + (MAX_CPUS - 1));
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(MASK_BYTES, 8);
            for (int cpu : cpus) {
                long word = (cpu >>> 6) * 8L;
                mask.set(ValueLayout.JAVA_LONG, word, mask.get(ValueLayout.JAVA_LONG, word) | 1L << (cpu & 63));
            }
            MemorySegment state = Libc.callState();
            int rc = (int) SET.invokeExact(state, 0, MASK_BYTES, mask);
            if (rc < 0) {
                int errno = Libc.errno(state);
                String context = "CPUs " + Arrays.toString(cpus);
                if (errno == Errno.EINVAL) {
                    throw new LinuxException("sched_setaffinity", errno, context,
                        "none of these CPUs is online and allowed for this process; see Affinity.currentThreadCpus()");
                }
                throw new LinuxException("sched_setaffinity", errno, context);
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
    }

    /** The CPUs the calling thread may run on, in ascending order. */
    public static int[] currentThreadCpus() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(MASK_BYTES, 8);
            MemorySegment state = Libc.callState();
            if ((int) GET.invokeExact(state, 0, MASK_BYTES, mask) < 0) {
                throw Libc.error("sched_getaffinity", state, "");
            }
            int count = 0;
            for (long word = 0; word < MASK_BYTES; word += 8) {
                count += Long.bitCount(mask.get(ValueLayout.JAVA_LONG, word));
            }
            int[] cpus = new int[count];
            int next = 0;
            for (int cpu = 0; cpu < MAX_CPUS; cpu++) {
                if ((mask.get(ValueLayout.JAVA_LONG, (cpu >>> 6) * 8L) & 1L << (cpu & 63)) != 0) {
                    cpus[next++] = cpu;
                }
            }
            return cpus;
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
    }

    /**
     * The number of CPUs online ({@code sysconf(_SC_NPROCESSORS_ONLN)}); the process may be
     * allowed fewer, see {@link #currentThreadCpus()}.
     */
    public static int availableCpus() {
        long n;
        try {
            n = (long) SYSCONF.invokeExact(Libc.callState(), SC_NPROCESSORS_ONLN);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        return n > 0 ? (int) n : Runtime.getRuntime().availableProcessors();
    }
}
