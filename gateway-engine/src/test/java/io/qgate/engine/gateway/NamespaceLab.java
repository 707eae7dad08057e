package io.qgate.engine.gateway;

import io.qgate.engine.cli.QgateCommand;
import io.qgate.engine.telemetry.CountersFile;
import io.qgate.engine.telemetry.GatewaySnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Two network namespaces joined by a veth pair, with a root and two gateway certificates and a
 * configuration per side, for the tests that run real gateways as child processes. Everything it
 * makes (namespaces, temp folder, processes) is removed by {@link #close()}, also after a failure.
 * Names start with {@code qgt-} and a random suffix, so runs never collide.
 */
final class NamespaceLab implements AutoCloseable {
    static final String OUTER_A = "192.168.241.1";
    static final String OUTER_B = "192.168.241.2";
    static final String INNER_A = "10.241.0.1";
    static final String INNER_B = "10.241.0.2";
    static final String INNER6_A = "fd41::1";
    static final String INNER6_B = "fd41::2";
    /** The veth addresses when the outer network is IPv6 ({@link #NamespaceLab(String, boolean, int)}). */
    static final String OUTER6_A = "fd42::1";
    static final String OUTER6_B = "fd42::2";
    /**
     * With a relay ({@link #NamespaceLab(String, boolean, int, boolean)}): a third namespace between
     * the two, with one veth pair to each side; each gateway's peer endpoint is the relay's address
     * facing it (port 51820), and b's own outer address moves to another /30.
     */
    static final String RELAY_FACING_A = "192.168.241.2";
    static final String RELAY_FACING_B = "192.168.242.1";
    static final String OUTER_B_RELAYED = "192.168.242.2";
    /** Addresses a flood test's attacker sends from ({@link #acceptSpoofedSourcesInB()}). */
    static final String SPOOFED_SOURCES = "10.99.0.0/16";

    final String id = "qgt-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    final String nsA = id + "-a";
    final String nsB = id + "-b";
    /** The relay's namespace (exists only in a lab made with a relay). */
    final String nsR = id + "-r";
    final Path dir;
    private final Map<String, Process> gateways = new LinkedHashMap<>();
    private final List<Process> others = new ArrayList<>();

    /** Why these tests cannot run here, or null if they can. */
    static String missing() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "needs root (network namespaces, veth and TUN devices); run as root, as CI does";
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            return "needs /dev/net/tun (load the tun module)";
        }
        if (Stream.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip").noneMatch(p -> Files.isExecutable(Path.of(p)))) {
            return "needs the ip command (Debian package iproute2)";
        }
        if (Stream.of("/usr/bin/ping", "/bin/ping").noneMatch(p -> Files.isExecutable(Path.of(p)))) {
            return "needs ping (Debian package iputils-ping)";
        }
        return null;
    }

    /**
     * Skips the calling test (with the reason) where {@link #missing()} names something absent, except
     * under CI as root, where the tools must be there ({@code .ci/install-test-deps}) and the test fails.
     */
    static void assumeRunnable() {
        String missing = missing();
        if (missing != null && System.getenv("CI") != null && "root".equals(System.getProperty("user.name"))) {
            throw new AssertionError("under CI as root these tests must run, but: " + missing);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(missing == null, () -> "skipped: " + missing);
    }

    private static final java.io.File DEV_NULL = new java.io.File("/dev/null");
    private final String io;

    private final boolean outerV6;
    private final int workers;
    private final boolean relayed;

    /** @param io the gateways' {@code io} setting: "batched" or "io_uring"; {@code workers = 0}, the default */
    NamespaceLab(String io) throws IOException {
        this(io, false, 0);
    }

    /**
     * @param io the gateways' {@code io} setting: "batched" or "io_uring"
     * @param outerV6 whether the gateways talk over IPv6 (veth addresses {@link #OUTER6_A}, {@link #OUTER6_B})
     * @param workers crypto workers per direction in each gateway (0: the I/O threads seal and open)
     */
    NamespaceLab(String io, boolean outerV6, int workers) throws IOException {
        this(io, outerV6, workers, false);
    }

    /**
     * @param relayed whether a third namespace ({@link #nsR}, side "r") sits between the two, where
     *     the test runs a relay (outer IPv4 only; see {@link #RELAY_FACING_A})
     */
    NamespaceLab(String io, boolean outerV6, int workers, boolean relayed) throws IOException {
        if (relayed && outerV6) {
            throw new IllegalArgumentException("a relayed lab talks over outer IPv4 only");
        }
        this.io = io;
        this.outerV6 = outerV6;
        this.workers = workers;
        this.relayed = relayed;
        dir = Files.createTempDirectory(id);
        try {
            sh("ip", "netns", "add", nsA);
            sh("ip", "netns", "add", nsB);
            if (relayed) {
                sh("ip", "netns", "add", nsR);
                sh("ip", "link", "add", id + "a", "netns", nsA, "type", "veth", "peer", "name", id + "ra", "netns", nsR);
                sh("ip", "link", "add", id + "b", "netns", nsB, "type", "veth", "peer", "name", id + "rb", "netns", nsR);
                sh("ip", "-n", nsR, "addr", "add", RELAY_FACING_A + "/30", "dev", id + "ra");
                sh("ip", "-n", nsR, "addr", "add", RELAY_FACING_B + "/30", "dev", id + "rb");
                for (String link : List.of(id + "ra", id + "rb", "lo")) {
                    sh("ip", "-n", nsR, "link", "set", link, "up");
                }
            } else {
                sh("ip", "link", "add", id + "a", "netns", nsA, "type", "veth", "peer", "name", id + "b", "netns", nsB);
            }
            sh("ip", "-n", nsA, "addr", "add", OUTER_A + "/30", "dev", id + "a");
            sh("ip", "-n", nsB, "addr", "add", (relayed ? OUTER_B_RELAYED : OUTER_B) + "/30", "dev", id + "b");
            if (outerV6) {
                // nodad: usable at once, no duplicate-address detection delay
                sh("ip", "-n", nsA, "-6", "addr", "add", OUTER6_A + "/64", "dev", id + "a", "nodad");
                sh("ip", "-n", nsB, "-6", "addr", "add", OUTER6_B + "/64", "dev", id + "b", "nodad");
            }
            for (String[] side : new String[][] {{nsA, id + "a"}, {nsB, id + "b"}}) {
                sh("ip", "-n", side[0], "link", "set", side[1], "up");
                sh("ip", "-n", side[0], "link", "set", "lo", "up");
            }
            Path pki = dir.resolve("pki");
            qgate("root", "init", "--out", pki.toString());
            qgate("cert", "issue", "--ca", pki.toString(), "--subject", "gw-a");
            qgate("cert", "issue", "--ca", pki.toString(), "--subject", "gw-b");
            writeConfig("a", outer("a"), INNER_A, INNER6_A, "gw-b", relayed ? RELAY_FACING_A : outer("b"), INNER_B, INNER6_B);
            writeConfig("b", outer("b"), INNER_B, INNER6_B, "gw-a", relayed ? RELAY_FACING_B : outer("a"), INNER_A, INNER6_A);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void writeConfig(String side, String outer, String inner, String inner6, String peer, String peerOuter,
            String peerInner, String peerInner6) throws IOException {
        Files.writeString(config(side), """
            [interface]
            name = "qg0"
            listen = "%s:51820"
            address = ["%s/24", "%s/64"]
            certificate = "pki/gw-%s.crt"
            private_key = "pki/gw-%s.key"
            trust_roots = ["pki/root.crt"]
            mtu = 1500
            run_directory = "run-%s"
            io = "%s"
            workers = %d

            [[peer]]
            name = "%s"
            endpoint = "%s:51820"
            allowed_ips = ["%s/32", "%s/128"]
            """.formatted(outer, inner, inner6, side, side, side, io, workers, peer, peerOuter, peerInner, peerInner6));
    }

    /**
     * Adds {@code key = value} to {@code side}'s {@code [interface]} table (before its gateway
     * starts, or before a restart), for example {@code interfaceOption("a", "rekey_after", "5")}.
     * The lab's configurations have one peer table, so the key lands at the end of {@code [interface]}.
     */
    void interfaceOption(String side, String key, String value) throws IOException {
        String text = Files.readString(config(side));
        Files.writeString(config(side), text.replace("\n[[peer]]", "\n" + key + " = " + value + "\n\n[[peer]]"));
    }

    /** The resident memory of {@code side}'s gateway process, in KiB ({@code VmRSS} of /proc/PID/status). */
    long gatewayRssKib(String side) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(gateways.get(side).pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for the gateway of " + side);
    }

    /** A side's outer address as a config writes it: {@code 192.168.241.1} or {@code [fd42::1]}. */
    String outer(String side) {
        if (outerV6) {
            return "[" + (side.equals("a") ? OUTER6_A : OUTER6_B) + "]";
        }
        return side.equals("a") ? OUTER_A : relayed ? OUTER_B_RELAYED : OUTER_B;
    }

    Path config(String side) {
        return dir.resolve(side + ".toml");
    }

    Path log(String side) {
        return dir.resolve(side + ".log");
    }

    String namespace(String side) {
        return switch (side) {
            case "a" -> nsA;
            case "b" -> nsB;
            case "r" -> nsR;
            default -> throw new IllegalArgumentException("no side " + side);
        };
    }

    /** The status socket of a side's gateway. */
    Path statusSocket(String side) {
        return dir.resolve("run-" + side).resolve("qg0.sock");
    }

    /** Starts {@code qgate up} for {@code side} inside its namespace; output goes to {@link #log}. */
    Process startGateway(String side) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace(side)));
        command.addAll(java(QgateCommand.class.getName(), "up", config(side).toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(DEV_NULL)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log(side).toFile())).start();
        gateways.put(side, p);
        return p;
    }

    Process gateway(String side) {
        return gateways.get(side);
    }

    /** A java command line with this JVM's class path and the flags qgate needs. */
    static List<String> java(String mainClass, String... args) {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> c = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens", "java.base/sun.security.provider=ALL-UNNAMED",
            "--add-opens", "java.base/com.sun.crypto.provider=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
            "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), mainClass));
        c.addAll(List.of(args));
        return c;
    }

    /** Waits until {@code side}'s log has had {@code count} lines containing {@code text}. */
    boolean awaitLog(String side, String text, int count, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log(side)) && Files.readAllLines(log(side)).stream().filter(l -> l.contains(text)).count() >= count) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    String logText(String side) throws IOException {
        return Files.exists(log(side)) ? Files.readString(log(side)) : "(no log)";
    }

    /** Both gateways' logs, for a failure message (never throws). */
    String logs() {
        try {
            return "--- a ---\n" + logText("a") + "--- b ---\n" + logText("b");
        } catch (IOException e) {
            return "(logs unreadable: " + e + ")";
        }
    }

    /** The last 4,000 characters of {@code side}'s log, for a failure message (never throws). */
    String logTail(String side) {
        try {
            String log = logText(side);
            return log.substring(Math.max(0, log.length() - 4000));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** What {@code side}'s gateway's counters file holds now. */
    GatewaySnapshot snapshot(String side) {
        return GatewaySnapshot.read(CountersFile.path(dir.resolve("run-" + side), "qg0"), System.currentTimeMillis());
    }

    /** One counter of {@code /proc/net/snmp} in {@code side}'s namespace, such as {@code snmp("a", "Udp: ", "RcvbufErrors")}. */
    long snmp(String side, String prefix, String name) throws IOException, InterruptedException {
        List<String> rows = exec(side, Duration.ofSeconds(10), "cat", "/proc/net/snmp").output().lines()
            .filter(l -> l.startsWith(prefix)).toList();
        return Long.parseLong(rows.get(1).split(" ")[List.of(rows.get(0).split(" ")).indexOf(name)]);
    }

    /**
     * Datagrams towards {@code side}'s gateway that the kernels dropped before its socket (in a lab
     * without relay): its UDP receive-buffer errors and veth receive drops, and on the other side
     * the veth's transmit drops, UDP send-buffer errors and IP output discards (a datagram that
     * {@code send} accepted can still die there).
     */
    long kernelDropsTowards(String side) throws IOException, InterruptedException {
        String other = side.equals("a") ? "b" : "a";
        String rx = exec(side, Duration.ofSeconds(10), "cat", "/sys/class/net/" + id + side + "/statistics/rx_dropped").output().strip();
        String tx = exec(other, Duration.ofSeconds(10), "cat", "/sys/class/net/" + id + other + "/statistics/tx_dropped").output().strip();
        return snmp(side, "Udp: ", "RcvbufErrors") + Long.parseLong(rx) + Long.parseLong(tx)
            + snmp(other, "Udp: ", "SndbufErrors") + snmp(other, "Ip: ", "OutDiscards");
    }

    /**
     * Lets b's namespace send from any address of {@link #SPOOFED_SOURCES} (an AnyIP route makes
     * them local there) and routes them back from a's, so a's answers to a spoofing attacker
     * (cookie replies, version errors) have somewhere to go.
     */
    void acceptSpoofedSourcesInB() throws IOException {
        sh("ip", "-n", nsB, "route", "add", "local", SPOOFED_SOURCES, "dev", "lo");
        sh("ip", "-n", nsA, "route", "add", SPOOFED_SOURCES, "via", OUTER_B);
    }

    /**
     * The path of {@code command} (one of /usr/bin, /bin, /usr/sbin, /sbin); where it is missing
     * the calling test is skipped with the Debian package to install, or fails under CI as root,
     * where {@code .ci/install-test-deps} must have installed it.
     */
    static String tool(String command, String debianPackage) {
        for (String folder : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            if (Files.isExecutable(Path.of(folder, command))) {
                return folder + "/" + command;
            }
        }
        String why = "needs " + command + " (Debian package " + debianPackage + ")";
        if (System.getenv("CI") != null && "root".equals(System.getProperty("user.name"))) {
            throw new AssertionError("under CI as root this test must run, but it " + why);
        }
        org.junit.jupiter.api.Assumptions.abort("skipped: " + why);
        return null;
    }

    /** Runs {@code command} inside {@code side}'s namespace, bounded by {@code timeout}. */
    Result exec(String side, Duration timeout, String... command) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", namespace(side)));
        c.addAll(List.of(command));
        return run(c, timeout);
    }

    /** Starts {@code command} inside a namespace without waiting (killed by {@link #close()}). */
    Process spawn(String side, List<String> command) throws IOException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", namespace(side)));
        c.addAll(command);
        Process p = new ProcessBuilder(c).redirectErrorStream(true).redirectInput(DEV_NULL).start();
        others.add(p);
        return p;
    }

    record Result(int exit, String output) {
    }

    static Result run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(DEV_NULL).start();
        try (var out = p.getInputStream()) {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return new Result(-1, "timed out after " + timeout + ": " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(out.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static void sh(String... command) throws IOException {
        try {
            Result r = run(List.of(command), Duration.ofSeconds(20));
            if (r.exit() != 0) {
                throw new IOException(String.join(" ", command) + " failed (" + r.exit() + "): " + r.output().strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void qgate(String... args) {
        int exit = QgateCommand.commandLine().execute(args);
        if (exit != 0) {
            throw new IllegalStateException("qgate " + String.join(" ", args) + " exited with " + exit);
        }
    }

    /** Stops a gateway with SIGTERM (clean shutdown) and waits; SIGKILL after 10 s. */
    static boolean stop(Process p) throws InterruptedException {
        p.destroy();
        if (p.waitFor(10, TimeUnit.SECONDS)) {
            return true;
        }
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        return false;
    }

    /**
     * Open descriptors of this JVM that are not files (pipes, sockets, event fds, devices): what
     * a leak would be. Files are left out because the class loader opens jars as classes load.
     */
    static List<String> openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    return ""; // closed while listing
                }
            }).filter(target -> target.startsWith("pipe:") || target.startsWith("socket:") || target.startsWith("anon_inode:")
                || target.equals("/dev/net/tun")).sorted().toList();
        }
    }

    /** Namespaces whose name starts with this lab's id. */
    List<String> leftoverNamespaces() throws IOException, InterruptedException {
        return run(List.of("ip", "netns", "list"), Duration.ofSeconds(10)).output().lines()
            .filter(l -> l.startsWith(id)).toList();
    }

    @Override
    public void close() {
        for (Process p : others) {
            p.destroyForcibly();
        }
        try {
            for (Process p : gateways.values()) {
                if (p.isAlive()) {
                    stop(p);
                }
            }
            for (Process p : others) {
                p.waitFor(5, TimeUnit.SECONDS);
                p.getInputStream().close();
            }
            run(List.of("ip", "netns", "del", nsA), Duration.ofSeconds(10));
            run(List.of("ip", "netns", "del", nsB), Duration.ofSeconds(10));
            if (relayed) {
                run(List.of("ip", "netns", "del", nsR), Duration.ofSeconds(10));
            }
        } catch (IOException | InterruptedException e) {
            // best effort; the caller's leak checks report what stayed
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }
}
