package io.qgate.perf;

import java.util.List;

/**
 * Measures, over an interval, how many cores a set of processes used and how many the whole
 * machine used. Start it immediately before the load and stop it immediately after.
 *
 * <p>Process cores are CPU seconds (user + system, all threads, {@link ProcStat}) divided by the
 * wall-clock length of the interval. Machine cores are the busy share of all CPUs' ticks in
 * {@code /proc/stat} times the number of CPUs; they include the load generator, the kernel's
 * packet processing in softirq context, and anything else running on the machine.
 */
public final class CpuMeter {
    private final List<Long> pids;
    private final long ticksPerSecond;
    private final long[] startTicks;
    private final ProcStat.MachineTicks startMachine;
    private final long startNanos;

    /**
     * Processor use over an interval.
     *
     * @param processCores cores the measured processes used on average
     * @param machineCores cores the machine used on average
     * @param seconds      wall-clock length of the interval
     */
    public record Usage(double processCores, double machineCores, double seconds) {
    }

    private CpuMeter(List<Long> pids, long ticksPerSecond) {
        this.pids = List.copyOf(pids);
        this.ticksPerSecond = ticksPerSecond;
        this.startTicks = new long[this.pids.size()];
        for (int i = 0; i < startTicks.length; i++) {
            startTicks[i] = ProcStat.processTicks(this.pids.get(i));
        }
        this.startMachine = ProcStat.machineTicks();
        this.startNanos = System.nanoTime();
    }

    /** Takes the first sample of {@code pids} and of the machine. */
    public static CpuMeter start(List<Long> pids, long ticksPerSecond) {
        return new CpuMeter(pids, ticksPerSecond);
    }

    /**
     * Takes the second sample.
     *
     * @throws BenchException when one of the processes exited in between
     */
    public Usage stop() {
        long ticks = 0;
        for (int i = 0; i < startTicks.length; i++) {
            ticks += ProcStat.processTicks(pids.get(i)) - startTicks[i];
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double machine = ProcStat.machineTicks().coresSince(startMachine);
        return new Usage(seconds <= 0 ? 0 : (double) ticks / ticksPerSecond / seconds, machine, seconds);
    }
}
