package io.qgate.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The load: {@code iperf3 -s} in namespace B (serves one test after another) and clients
 * {@code iperf3 -c <B's inner address> ... -J} in namespace A: TCP transfers and UDP floods.
 */
public final class Iperf3 {
    /** iperf3's default port. */
    public static final int PORT = 5201;
    /** /proc/net/tcp's state code for LISTEN (include/net/tcp_states.h: TCP_LISTEN = 10). */
    private static final String TCP_LISTEN = "0A";
    private static final Duration LISTEN_WAIT = Duration.ofSeconds(5);
    /** On top of the test's own length: connection set-up, and the final exchange of results. */
    private static final Duration CLIENT_SLACK = Duration.ofSeconds(30);

    private Iperf3() {
    }

    /**
     * Starts a server in B that serves test after test, and returns once it listens. It runs
     * until the run's cleanup stops it.
     *
     * @throws BenchException when it exits or does not listen within 5 s
     */
    public static BackgroundProcess startServer(NamespacePair pair, Path workDir, Cleanup cleanup) {
        BackgroundProcess server = BackgroundProcess.start("iperf3 server in " + pair.namespace(Side.B),
            workDir.resolve("iperf3-server.log"), Map.of(), pair.exec(Side.B, "iperf3", "-s"), cleanup);
        server.awaitReady("listen on port " + PORT, LISTEN_WAIT, () -> isListening(server.pid(), PORT));
        return server;
    }

    /** The client arguments after {@code -c <address>} of a TCP transfer. */
    static List<String> tcpArguments(int seconds, int streams) {
        return List.of("-t", Integer.toString(seconds), "-P", Integer.toString(streams), "-J");
    }

    /** The client arguments of a UDP flood: unlimited rate ({@code -b 0}), {@code bytes}-byte payloads. */
    static List<String> udpArguments(int seconds, int bytes) {
        return List.of("-u", "-b", "0", "-l", Integer.toString(bytes), "-t", Integer.toString(seconds), "-J");
    }

    /**
     * Starts a client in A against B; {@link #finish} waits for it. The client is a
     * {@link BackgroundProcess} so that an interrupt stops it with everything else.
     *
     * @param test names the output file, {@code iperf3-<test>.json}
     */
    public static BackgroundProcess startClient(NamespacePair pair, String test, List<String> arguments, Path workDir,
                                                Cleanup cleanup) {
        List<String> line = new ArrayList<>(List.of("iperf3", "-c", Side.B.innerAddress4()));
        line.addAll(arguments);
        return BackgroundProcess.start("iperf3 client (" + test + ") in " + pair.namespace(Side.A),
            workDir.resolve("iperf3-" + test + ".json"), Map.of(), pair.exec(Side.A, line.toArray(String[]::new)), cleanup);
    }

    /**
     * Waits for a client started for a {@code seconds}-long test and returns its JSON report.
     *
     * @throws BenchException when it does not finish in time (it is then stopped)
     */
    public static String finish(BackgroundProcess client, int seconds) {
        client.waitFor(Duration.ofSeconds(seconds).plus(CLIENT_SLACK));
        return client.log();
    }

    /**
     * Runs one TCP transfer and returns its report.
     *
     * @throws BenchException when iperf3 fails or prints no usable report
     */
    public static Iperf3Report tcp(NamespacePair pair, int seconds, int streams, Path workDir, Cleanup cleanup) {
        return tcpReport(finish(startClient(pair, "tcp-" + streams, tcpArguments(seconds, streams), workDir, cleanup), seconds));
    }

    /** Parses a TCP report, as a {@link BenchException} when it is not usable. */
    static Iperf3Report tcpReport(String json) {
        try {
            return Iperf3Report.parse(json);
        } catch (IllegalArgumentException e) {
            throw new BenchException(e.getMessage(), e);
        }
    }

    /**
     * Runs one UDP flood and returns its report.
     *
     * @throws BenchException when iperf3 fails or prints no usable report
     */
    public static UdpReport udp(NamespacePair pair, int seconds, int bytes, Path workDir, Cleanup cleanup) {
        String json = finish(startClient(pair, "udp-" + bytes, udpArguments(seconds, bytes), workDir, cleanup), seconds);
        try {
            return UdpReport.parse(json);
        } catch (IllegalArgumentException e) {
            throw new BenchException(e.getMessage(), e);
        }
    }

    /**
     * Whether the network namespace of process {@code pid} has a TCP socket listening on
     * {@code port}: {@code /proc/<pid>/net/tcp} and {@code tcp6} show the sockets of the
     * namespace that process is in, so no command has to be run inside it.
     */
    static boolean isListening(long pid, int port) {
        for (String file : new String[] {"tcp", "tcp6"}) {
            try {
                if (listensOn(Files.readString(Path.of("/proc", Long.toString(pid), "net", file)), port)) {
                    return true;
                }
            } catch (NoSuchFileException e) {
                // The process is gone, or IPv6 is off: the caller's requireAlive tells which.
            } catch (IOException e) {
                throw new BenchException("cannot read /proc/" + pid + "/net/" + file + ": " + e.getMessage(), e);
            }
        }
        return false;
    }

    /**
     * Whether a {@code /proc/net/tcp} or {@code tcp6} table (proc(5)) has a socket in state
     * LISTEN whose local port is {@code port}. Lines look like
     * {@code "0: 00000000:1451 00000000:0000 0A ..."}: local address and port in hex, remote,
     * state.
     */
    public static boolean listensOn(String procNetTcp, int port) {
        String hexPort = ":" + String.format(Locale.ROOT, "%04X", port);
        for (String line : procNetTcp.split("\n")) {
            String[] f = line.strip().split(" +");
            if (f.length > 3 && f[1].endsWith(hexPort) && f[3].equals(TCP_LISTEN)) {
                return true;
            }
        }
        return false;
    }
}
