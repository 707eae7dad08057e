package io.qgate.perf;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Two network namespaces, {@code qgb-<rand>-a} and {@code qgb-<rand>-b}, joined by a veth pair
 * with the outer addresses of {@link Side} and MTU 1500: the underlay every tunnel is measured on.
 * Both ends of the veth are created directly inside their namespaces, so no name is ever taken in
 * the caller's namespace. Removing a namespace removes its veth end and every interface in it.
 */
public final class NamespacePair {
    /** Every namespace this harness creates starts with this, so leftovers are easy to find. */
    public static final String PREFIX = "qgb-";
    /** The underlay MTU, Ethernet's. */
    public static final int VETH_MTU = 1500;

    private final String id;

    private NamespacePair(String id) {
        this.id = id;
    }

    /**
     * Creates the pair; each step registers its undo with {@code cleanup} as soon as it succeeded.
     *
     * @throws BenchException when {@code ip} fails (typically: not root)
     */
    public static NamespacePair create(Cleanup cleanup) {
        byte[] rand = new byte[3];
        ThreadLocalRandom.current().nextBytes(rand);
        NamespacePair pair = new NamespacePair(HexFormat.of().formatHex(rand));
        for (Side side : Side.values()) {
            String ns = pair.namespace(side);
            ip("create namespace " + ns, "netns", "add", ns);
            cleanup.register("remove namespace " + ns,
                () -> ip("remove namespace " + ns, "netns", "del", ns));
        }
        ip("create the veth pair", "link", "add", pair.veth(Side.A), "netns", pair.namespace(Side.A),
            "mtu", Integer.toString(VETH_MTU), "type", "veth",
            "peer", "name", pair.veth(Side.B), "netns", pair.namespace(Side.B), "mtu", Integer.toString(VETH_MTU));
        for (Side side : Side.values()) {
            String ns = pair.namespace(side);
            ip("bring up lo in " + ns, "-n", ns, "link", "set", "lo", "up");
            ip("address the veth in " + ns, "-n", ns, "addr", "add",
                side.outerAddress() + "/" + Side.OUTER_PREFIX, "dev", pair.veth(side));
            ip("bring up the veth in " + ns, "-n", ns, "link", "set", pair.veth(side), "up");
        }
        return pair;
    }

    /** The random part of the names, six hex digits. */
    public String id() {
        return id;
    }

    /** {@code qgb-<id>-a} or {@code qgb-<id>-b}. */
    public String namespace(Side side) {
        return PREFIX + id + "-" + side.suffix();
    }

    /** The veth end inside {@code side}'s namespace. */
    public String veth(Side side) {
        return "veth-" + side.suffix();
    }

    /** {@code ip netns exec <namespace> command...}. */
    public List<String> exec(Side side, String... command) {
        List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", namespace(side)));
        line.addAll(List.of(command));
        return line;
    }

    /** {@code ip -n <namespace> args...}, which must succeed. */
    public void ipIn(Side side, String step, String... args) {
        List<String> line = new ArrayList<>(List.of("-n", namespace(side)));
        line.addAll(List.of(args));
        ip(step, line.toArray(String[]::new));
    }

    /**
     * Pings {@code side.peer()}'s inner IPv4 address from {@code side} once a second until it
     * answers or {@code attempts} pings went unanswered.
     *
     * @param alive checked between pings, so a tunnel process that died fails fast with its log
     * @throws BenchException when no ping was answered
     */
    public void awaitPing(Side side, int attempts, Runnable alive) {
        String target = side.peer().innerAddress4();
        ExternalCommand.Result last = null;
        for (int i = 0; i < attempts; i++) {
            alive.run();
            long started = System.nanoTime();
            last = ExternalCommand.run(ExternalCommand.SHORT, Map.of(),
                exec(side, "ping", "-c", "1", "-W", "1", target));
            if (last.exit() == 0) {
                return;
            }
            // "Network is unreachable" fails at once while a tunnel's device is still missing:
            // wait out the rest of the second, so that attempts stay a measure of time.
            long spentMs = (System.nanoTime() - started) / 1_000_000;
            Pause.millis(Math.max(300, 1_000 - spentMs));
        }
        throw new BenchException("no ping from " + namespace(side) + " to " + target + " through the tunnel was answered in "
            + attempts + " tries" + (last == null ? "." : " (" + (last.stdout() + last.stderr()).strip().replace('\n', ' ') + ")."));
    }

    /** Names of the namespaces that currently exist whose names start with {@link #PREFIX}. */
    public static List<String> existing() {
        ExternalCommand.Result r = ExternalCommand.run(ExternalCommand.SHORT, "ip", "netns", "list").orThrow("list namespaces");
        List<String> found = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            String name = line.strip().split(" ")[0];
            if (name.startsWith(PREFIX)) {
                found.add(name);
            }
        }
        return found;
    }

    private static void ip(String step, String... args) {
        List<String> line = new ArrayList<>(List.of("ip"));
        line.addAll(List.of(args));
        ExternalCommand.run(ExternalCommand.SHORT, Map.of(), line).orThrow(step);
    }
}
