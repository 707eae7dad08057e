package io.qgate.engine.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qgate.engine.cli.ShowCommand;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two real gateways ({@code qgate up}, child processes) in two network namespaces joined by a
 * veth pair, tunnelling between their TUN devices over UDP. Needs root, /dev/net/tun, ip and
 * ping (CI has them); skipped with the reason elsewhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TunnelNamespaceTest {
    private static final Duration UP = Duration.ofSeconds(30);
    private static final long TRANSFER_BYTES = 256L << 20;
    private NamespaceLab lab;
    private List<String> fdsBefore;

    /** The gateways' {@code io} setting. */
    String io() {
        return "batched";
    }

    /** Whether the gateways talk over IPv6 (the inner traffic is IPv4 and IPv6 either way). */
    boolean outerV6() {
        return false;
    }

    /** Crypto workers per direction: 0, the default, has the I/O threads seal and open. */
    int workers() {
        return 0;
    }

    /** Whether {@code side}'s gateway opens its TUN with offloads (the default, {@code offload = true}). */
    boolean offload(String side) {
        return true;
    }

    /** Why this test cannot run here, or null. */
    String missing() {
        return NamespaceLab.missing();
    }

    @BeforeAll
    void startGateways() throws Exception {
        String missing = missing();
        if (missing != null && System.getenv("CI") != null && "root".equals(System.getProperty("user.name"))) {
            // CI runs as root with .ci/install-test-deps: a missing tool there must fail, not pass vacuously
            throw new AssertionError("under CI as root these tests must run, but: " + missing);
        }
        assumeTrue(missing == null, () -> "skipped: " + missing);
        lab = new NamespaceLab(io(), outerV6(), workers());
        for (String side : List.of("a", "b")) {
            if (!offload(side)) {
                lab.interfaceOption(side, "offload", "false");
            }
        }
        lab.startGateway("a");
        lab.startGateway("b");
        for (String side : List.of("a", "b")) {
            assertTrue(lab.awaitLog(side, "session established", 1, UP),
                () -> "gateway " + side + " did not establish a session within " + UP + ":\n" + lab.logs());
        }
        String started = lab.logText("a");
        String lanes = workers() == 0 ? "I/O threads seal and open (workers = 0)" : workers() + " worker(s) per direction";
        assertTrue(started.contains(lanes) && started.contains("listening on /"
            + (outerV6() ? "[fd42:" : NamespaceLab.OUTER_A)), started);
        for (String side : List.of("a", "b")) {
            String log = lab.logText(side);
            assertEquals(offload(side), log.contains(", TUN offloads csum, tso4, tso6"), () -> side + "'s up log: " + log);
        }
        status("a"); // the JDK opens a descriptor of its own the first time (kept for the JVM's life)
        fdsBefore = NamespaceLab.openFds();
    }

    private void ping(String from, String... args) throws Exception {
        NamespaceLab.Result r = lab.exec(from, Duration.ofSeconds(20), concat(new String[] {"ping", "-c", "3", "-i", "0.2", "-W", "2"}, args));
        assertEquals(0, r.exit(), () -> "ping " + String.join(" ", args) + " from " + from + " failed:\n" + r.output() + lab.logs());
        assertTrue(r.output().contains("3 received"), r.output());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    @Order(1)
    void pingsBothWaysOverIpv4AndIpv6() throws Exception {
        ping("a", NamespaceLab.INNER_B);
        ping("b", NamespaceLab.INNER_A);
        ping("a", "-6", NamespaceLab.INNER6_B);
        ping("b", "-6", NamespaceLab.INNER6_A);
        long rings = ioUringDescriptors(lab.gateway("a").pid());
        // io_uring: one ring per I/O thread (TUN reader, UDP reader, two egresses); batched: none
        assertEquals("io_uring".equals(io()) ? 4 : 0, rings, "io_uring instances open in the gateway with io = " + io());
    }

    /** How many io_uring instances process {@code pid} holds open (fds linked to {@code anon_inode:[io_uring]}). */
    static long ioUringDescriptors(long pid) throws java.io.IOException {
        try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.filter(fd -> {
                try {
                    return java.nio.file.Files.readSymbolicLink(fd).toString().equals("anon_inode:[io_uring]");
                } catch (java.io.IOException e) {
                    return false; // closed meanwhile
                }
            }).count();
        }
    }

    @Test
    @Order(2)
    void oversizedPacketsGetIcmpTooBigWithTheTunnelMtu() throws Exception {
        // the TUN MTU is 1500, the outer path 1500: 1500 - 28 (outer IPv4 + UDP; 48 over IPv6) - 32 (header and tag) fit
        int mtu = 1500 - (outerV6() ? 48 : 28) - 32;
        NamespaceLab.Result v4 = lab.exec("a", Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", "-M", "do", "-s", "1472",
            NamespaceLab.INNER_B);
        assertNotEquals(0, v4.exit(), v4.output());
        assertTrue(v4.output().contains("mtu = " + mtu) || v4.output().contains("mtu=" + mtu),
            () -> "expected 'Frag needed ... mtu = " + mtu + "':\n" + v4.output());
        NamespaceLab.Result v6 = lab.exec("a", Duration.ofSeconds(10), "ping", "-6", "-c", "1", "-W", "2", "-M", "do", "-s", "1452",
            NamespaceLab.INNER6_B);
        assertNotEquals(0, v6.exit(), v6.output());
        assertTrue(v6.output().contains("mtu=" + mtu) || v6.output().contains("mtu = " + mtu),
            () -> "expected 'Packet too big: mtu=" + mtu + "':\n" + v6.output());
        ping("a", "-M", "do", "-s", Integer.toString(mtu - 28), NamespaceLab.INNER_B); // exactly the tunnel MTU: fits
        assertTrue(counter("a", "icmp_sent") >= 2, () -> "icmp_sent");
    }

    @Test
    @Order(3)
    void tcpTransferOf256MibArrivesIntact() throws Exception {
        Process sink = lab.spawn("b", NamespaceLab.java(TcpTransfer.class.getName(), "sink", "5201", "120"));
        BufferedReader sinkOut = new BufferedReader(new InputStreamReader(sink.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("listening", sinkOut.readLine());
        NamespaceLab.Result source = lab.exec("a", Duration.ofSeconds(180),
            NamespaceLab.java(TcpTransfer.class.getName(), "source", NamespaceLab.INNER_B, "5201",
                Long.toString(TRANSFER_BYTES), "20261122").toArray(String[]::new));
        assertEquals(0, source.exit(), () -> "source failed: " + source.output() + lab.logs());
        assertTrue(sink.waitFor(60, TimeUnit.SECONDS), "the sink did not finish");
        String received = sinkOut.readLine();
        String sent = source.output().strip().lines().reduce((x, y) -> y).orElse("");
        assertTrue(sent.startsWith(TRANSFER_BYTES + " "), sent);
        assertEquals(sent, received, "bytes and SHA-256 at both ends");
        // with offloads the sender's stack hands over TCP super-packets, and the receiver writes joined segments
        long read = counter("a", "tun_super_packets_read");
        long written = counter("b", "tun_super_packets_written");
        assertEquals(offload("a"), read > 0, () -> "a read " + read + " super-packets");
        assertEquals(offload("b"), written > 0, () -> "b wrote " + written + " super-packets");
        long packets = counter("b", "tun_packets_written");
        assertTrue(packets >= TRANSFER_BYTES / 1_500, () -> "b counts the segments it wrote as packets: " + packets);
    }

    @Test
    @Order(4)
    void packetWithAnInnerSourceOutsideThePeersRangesIsDroppedAndCounted() throws Exception {
        long before = counter("b", "dropped_source");
        // a's gateway forwards by destination only; b must refuse the source 10.241.0.99, which is not a's
        assertEquals(0, lab.exec("a", Duration.ofSeconds(10), "ip", "addr", "add", "10.241.0.99/32", "dev", "qg0").exit());
        NamespaceLab.Result r = lab.exec("a", Duration.ofSeconds(10), "ping", "-c", "3", "-i", "0.2", "-W", "1", "-I", "10.241.0.99",
            NamespaceLab.INNER_B);
        assertNotEquals(0, r.exit(), "no reply may come back: " + r.output());
        long after = counter("b", "dropped_source");
        String statusB = status("b");
        assertTrue(after >= before + 3, () -> "b's dropped_source did not grow by 3:\n" + statusB);
        ping("a", NamespaceLab.INNER_B); // the legitimate source still works
    }

    @Test
    @Order(5)
    void restartedGatewayReestablishesTheTunnelWithinFiveSeconds() throws Exception {
        Process b = lab.gateway("b");
        b.destroyForcibly();
        assertTrue(b.waitFor(10, TimeUnit.SECONDS));
        long started = System.nanoTime();
        lab.startGateway("b");
        boolean up = false;
        while (!up && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(15)) {
            up = lab.exec("a", Duration.ofSeconds(5), "ping", "-c", "1", "-W", "1", NamespaceLab.INNER_B).exit() == 0;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("tunnel back %.2f s after the killed gateway was started again%n", seconds);
        assertTrue(up, () -> "the tunnel did not come back within 15 s:\n" + lab.logs());
        assertTrue(seconds <= 5.0, () -> "the tunnel came back after " + seconds + " s, more than 5 s:\n" + lab.logs());
    }

    @Test
    @Order(6)
    void stoppingBothGatewaysLeavesNothingBehind() throws Exception {
        NamespaceLab.Result down = NamespaceLab.run(NamespaceLab.java(io.qgate.engine.cli.QgateCommand.class.getName(), "down", "qg0",
            "--run-directory", lab.dir.resolve("run-a").toString()), Duration.ofSeconds(30));
        assertEquals(0, down.exit(), down.output());
        assertTrue(down.output().contains("qg0 stopped"), down.output());
        for (String side : List.of("a", "b")) {
            assertTrue(NamespaceLab.stop(lab.gateway(side)), "SIGTERM stops gateway " + side + " cleanly");
            int exit = lab.gateway(side).exitValue();
            assertTrue(exit == 0 || exit == 143, () -> "exit status " + exit + " of " + side + " (0, or 143 for SIGTERM):\n" + lab.logs());
            assertFalse(lab.logText(side).contains("Exception"), () -> "no exception in the log of " + side + ":\n" + lab.logs());
            String log = lab.logText(side);
            assertTrue(log.contains("qg0: stopped"), () -> log);
            NamespaceLab.Result links = lab.exec(side, Duration.ofSeconds(5), "ip", "-o", "link", "show");
            assertFalse(links.output().contains("qg0"), "the TUN device is gone:\n" + links.output());
            assertFalse(java.nio.file.Files.exists(lab.statusSocket(side)), "the status socket is removed");
        }
        lab.close();
        assertEquals(List.of(), lab.leftoverNamespaces());
        lab = null;
        List<String> fdsAfter = NamespaceLab.openFds();
        assertTrue(fdsAfter.size() <= fdsBefore.size(),
            () -> "the test JVM holds no more pipes, sockets or TUN descriptors than before: " + fdsBefore + " then " + fdsAfter);
    }

    private long counter(String side, String name) throws Exception {
        for (String line : status(side).lines().toList()) {
            if (line.startsWith(name + " ")) {
                return Long.parseLong(line.substring(name.length() + 1).strip());
            }
        }
        throw new AssertionError("no counter " + name + " in:\n" + status(side));
    }

    private String status(String side) throws Exception {
        return ShowCommand.read(lab.statusSocket(side), "qg0");
    }

    @AfterAll
    void cleanUp() {
        if (lab != null) {
            lab.close();
        }
    }
}
