package io.qgate.perf;

/**
 * One measured iperf3 run through one tunnel.
 *
 * @param repeat       1-based number of the repeat
 * @param gbitPerSecond receiver throughput, 10^9 bits per second
 * @param tunnelCores  cores the tunnel's processes used during the transfer (0 for {@code plain})
 * @param machineCores cores the whole machine used during the transfer
 * @param gcCycles     GC cycles the tunnel's JVMs logged during the transfer, or -1 when no GC
 *                     log was kept (not a JVM tunnel, or no {@code --gc-log})
 */
public record RunResult(int repeat, double gbitPerSecond, double tunnelCores, double machineCores, int gcCycles) {
    /** Tunnel cores per Gbit/s: the tunnel's CPU cost of throughput; 0 when nothing was carried. */
    public double coresPerGbit() {
        return gbitPerSecond > 0 ? tunnelCores / gbitPerSecond : 0;
    }
}
