package io.qgate.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The load: {@code iperf3 -s -1} in namespace B (serves one test, then exits) and
 * {@code iperf3 -c <B's inner address> -t N -P streams -J} in namespace A.
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
     * Starts the server in B and returns once it listens.
     *
     * @throws BenchException when it exits or does not listen within 5 s
     */
    public static BackgroundProcess startServer(NamespacePair pair, Path workDir, Cleanup cleanup) {
        BackgroundProcess server = BackgroundProcess.start("iperf3 server in " + pair.namespace(Side.B),
            workDir.resolve("iperf3-server.log"), Map.of(), pair.exec(Side.B, "iperf3", "-s", "-1"), cleanup);
        server.awaitReady("listen on port " + PORT, LISTEN_WAIT, () -> isListening(server.pid(), PORT));
        return server;
    }

    /**
     * Runs the client in A against B for {@code seconds} and returns its report. The client is a
     * {@link BackgroundProcess} so that an interrupt stops it with everything else.
     *
     * @throws BenchException when iperf3 fails or prints no usable report
     */
    public static Iperf3Report runClient(NamespacePair pair, int seconds, int streams, Path workDir, Cleanup cleanup) {
        BackgroundProcess client = BackgroundProcess.start("iperf3 client in " + pair.namespace(Side.A),
            workDir.resolve("iperf3-client.json"), Map.of(),
            pair.exec(Side.A, "iperf3", "-c", Side.B.innerAddress4(), "-t", Integer.toString(seconds),
                "-P", Integer.toString(streams), "-J"), cleanup);
        client.waitFor(Duration.ofSeconds(seconds).plus(CLIENT_SLACK));
        try {
            return Iperf3Report.parse(client.log());
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
