package io.qgate.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a result depends on besides the tunnel: versions of the tools, kernel and CPU count.
 *
 * @param wireguardGo Debian version of wireguard-go, or why it is unknown
 * @param iperf3      Debian version of iperf3, or why it is unknown
 * @param openvpn     Debian version of openvpn, or why it is unknown
 * @param kernel      {@code uname -r}
 * @param cpus        online CPUs
 * @param cpuModel    /proc/cpuinfo's first "model name"
 * @param loadAverage /proc/loadavg's 1-minute figure when the benchmark started: well above 0
 *                    means other work competes with the tunnels for the CPUs
 */
public record BenchEnvironment(String wireguardGo, String iperf3, String openvpn, String kernel, int cpus, String cpuModel,
                               String loadAverage) {
    /** Looks everything up; never fails, an unknown value says why. */
    public static BenchEnvironment detect() {
        return new BenchEnvironment(debianVersion("wireguard-go"), debianVersion("iperf3"), debianVersion("openvpn"),
            System.getProperty("os.version"), Runtime.getRuntime().availableProcessors(), detectCpuModel(),
            detectLoadAverage());
    }

    /** One line for the top of the report. */
    public String describe() {
        return "wireguard-go " + wireguardGo + ", iperf3 " + iperf3 + ", openvpn " + openvpn + ", Linux " + kernel + ", " + cpus + " CPUs (" + cpuModel + "), load average " + loadAverage;
    }

    private static String debianVersion(String pkg) {
        if (!ExternalCommand.isInstalled("dpkg-query")) {
            return "unknown (no dpkg-query)";
        }
        ExternalCommand.Result r = ExternalCommand.run(ExternalCommand.SHORT, "dpkg-query", "-W", "-f=${Version}", pkg);
        return r.exit() == 0 && !r.stdout().isBlank() ? r.stdout().strip() : "not installed as a Debian package";
    }

    private static String detectLoadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String detectCpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return "unknown";
    }
}
