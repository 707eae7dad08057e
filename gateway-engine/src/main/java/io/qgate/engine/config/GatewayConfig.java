package io.qgate.engine.config;

import io.qgate.engine.net.IpPrefix;
import io.qgate.engine.protocol.Suite;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A gateway's configuration file: one {@code [interface]} section and one {@code [peer NAME]}
 * section per peer, {@code key = value} lines, {@code #} comments. The format is in
 * {@code docs/CONFIG.md}. Relative paths are resolved against the file's folder.
 *
 * <p>Every error names the file, the line and the cause in one sentence.
 *
 * <p>{@code metrics} is where the Prometheus endpoint listens, or null (the default: off).
 */
public record GatewayConfig(
        Path source,
        String interfaceName,
        InetSocketAddress listen,
        List<InterfaceAddress> addresses,
        int mtu,
        int pathMtu,
        Path certificate,
        Path privateKey,
        List<Path> trustRoots,
        List<Suite> suites,
        int workers,
        IoBackend io,
        List<Integer> cpus,
        Path runDirectory,
        List<PeerSection> peers,
        InetSocketAddress metrics) {

    /** Largest file read: a configuration is a few KiB; this bounds a mistaken path. */
    public static final int MAX_BYTES = 1 << 20;
    /** Linux's IFNAMSIZ minus the terminating NUL. */
    public static final int MAX_INTERFACE_NAME = 15;

    /**
     * One {@code address} entry: the interface's own address and the length of the prefix it
     * sits in, such as {@code 10.241.0.1/24}.
     */
    public record InterfaceAddress(InetAddress address, int prefixLength) {
        /** The network it sits in, host bits cleared ({@code 10.241.0.0/24}). */
        public IpPrefix prefix() {
            return new IpPrefix(address.getAddress(), prefixLength);
        }

        @Override
        public String toString() {
            return IpPrefix.format(address.getAddress()) + "/" + prefixLength;
        }
    }

    /** Which system-call family moves packets. */
    public enum IoBackend {
        /** {@code recvmmsg}/{@code sendmmsg} and batched reads and writes. */
        BATCHED,
        /** io_uring submissions. */
        IO_URING;

        static IoBackend parse(String text, String where) {
            return switch (text) {
                case "batched" -> BATCHED;
                case "io_uring", "io-uring" -> IO_URING;
                default -> throw new ConfigException(where + ": io must be 'batched' or 'io_uring', not '" + text + "'");
            };
        }
    }

    /**
     * One {@code [peer NAME]} section.
     *
     * @param subject the subject its certificate must carry
     * @param endpoint where to reach it, or null if it always initiates
     */
    public record PeerSection(String name, String subject, InetSocketAddress endpoint, List<IpPrefix> allowedIps) {
    }

    /** Reads and checks the file at {@code path}. */
    public static GatewayConfig load(Path path) {
        byte[] bytes;
        try {
            if (Files.size(path) > MAX_BYTES) {
                throw new ConfigException(path + ": is larger than " + MAX_BYTES + " bytes; is it a configuration file?");
            }
            bytes = Files.readAllBytes(path);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException(path + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(path + ": cannot be read: " + e.getMessage());
        }
        return parse(path, new String(bytes, StandardCharsets.UTF_8));
    }

    /** Parses {@code text} as if read from {@code path} (used for messages and relative paths). */
    public static GatewayConfig parse(Path path, String text) {
        return new Parser(path, text).parse();
    }

    /** The peer section named {@code name}, or null. */
    public PeerSection peer(String name) {
        return peers.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }

    private static final class Parser {
        private final Path path;
        private final String text;
        private final Path base;

        Parser(Path path, String text) {
            this.path = path;
            this.text = text;
            Path parent = path.toAbsolutePath().getParent();
            this.base = parent == null ? Path.of(".") : parent;
        }

        GatewayConfig parse() {
            Map<String, String[]> iface = null; // key -> {value, where}
            String ifaceWhere = null;
            List<Map<String, String[]>> peerSections = new ArrayList<>();
            List<String> peerNames = new ArrayList<>();
            List<String> peerWheres = new ArrayList<>();
            Map<String, String[]> current = null;
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String where = path + ":" + (i + 1);
                String line = lines[i];
                int hash = line.indexOf('#');
                if (hash >= 0) {
                    line = line.substring(0, hash);
                }
                line = line.strip();
                if (line.isEmpty()) {
                    continue;
                }
                if (line.startsWith("[")) {
                    if (!line.endsWith("]")) {
                        throw new ConfigException(where + ": a section header must end with ']'");
                    }
                    String header = line.substring(1, line.length() - 1).strip();
                    if (header.equals("interface")) {
                        if (iface != null) {
                            throw new ConfigException(where + ": [interface] appears twice (first at " + ifaceWhere + ")");
                        }
                        iface = new LinkedHashMap<>();
                        ifaceWhere = where;
                        current = iface;
                    } else if (header.startsWith("peer ") || header.startsWith("peer\t")) {
                        String name = header.substring(5).strip();
                        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
                            throw new ConfigException(where + ": a peer name is 1 to 64 letters, digits, '.', '_' or '-', not '" + name + "'");
                        }
                        if (peerNames.contains(name)) {
                            throw new ConfigException(where + ": [peer " + name + "] appears twice");
                        }
                        current = new LinkedHashMap<>();
                        peerSections.add(current);
                        peerNames.add(name);
                        peerWheres.add(where);
                    } else {
                        throw new ConfigException(where + ": unknown section [" + header + "]: use [interface] or [peer NAME]");
                    }
                    continue;
                }
                int eq = line.indexOf('=');
                if (eq <= 0) {
                    throw new ConfigException(where + ": expected 'key = value' or a [section], not '" + line + "'");
                }
                if (current == null) {
                    throw new ConfigException(where + ": '" + line + "' comes before any [section]");
                }
                String key = line.substring(0, eq).strip();
                String value = line.substring(eq + 1).strip();
                if (current.containsKey(key)) {
                    throw new ConfigException(where + ": '" + key + "' is set twice in this section (first at " + current.get(key)[1] + ")");
                }
                current.put(key, new String[] {value, where});
            }
            if (iface == null) {
                throw new ConfigException(path + ": has no [interface] section");
            }
            Section s = new Section(iface, ifaceWhere, "interface",
                List.of("name", "listen", "address", "mtu", "path-mtu", "certificate", "private-key", "trust-root",
                    "suites", "workers", "io", "cpus", "run-directory", "metrics"));
            String name = s.required("name");
            if (!name.matches("[A-Za-z0-9._-]{1," + MAX_INTERFACE_NAME + "}")) {
                throw new ConfigException(s.where("name") + ": an interface name is 1 to " + MAX_INTERFACE_NAME
                    + " letters, digits, '.', '_' or '-', not '" + name + "'");
            }
            InetSocketAddress listen = socketAddress(s.optional("listen", "0.0.0.0:51820"), s.where("listen"), true);
            List<InterfaceAddress> addresses = new ArrayList<>();
            for (String a : s.list("address")) {
                IpPrefix network = prefix(a, s.where("address"));
                addresses.add(new InterfaceAddress(hostOf(a, s.where("address")), network.length()));
            }
            int mtu = s.integer("mtu", 1420, 576, 65_535);
            int pathMtu = s.integer("path-mtu", 1500, 576, 65_535);
            if (mtu < 1280 && addresses.stream().anyMatch(a -> !a.prefix().isV4())) {
                throw new ConfigException(s.where("mtu") + ": IPv6 needs an mtu of at least 1280, not " + mtu);
            }
            Path certificate = s.path("certificate", base);
            Path privateKey = s.path("private-key", base);
            List<Path> roots = s.list("trust-root").stream().map(r -> resolve(base, r, s.where("trust-root"))).toList();
            if (roots.isEmpty()) {
                throw new ConfigException(s.where(null) + ": [interface] needs 'trust-root' (the root certificate file(s))");
            }
            List<Suite> suites = new ArrayList<>();
            for (String id : s.list("suites")) {
                try {
                    suites.add(Suite.fromName(id));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(s.where("suites") + ": " + e.getMessage());
                }
            }
            int workers = s.integer("workers", 1, 1, 64);
            IoBackend io = IoBackend.parse(s.optional("io", "batched"), s.where("io"));
            List<Integer> cpus = new ArrayList<>();
            for (String c : s.list("cpus")) {
                cpus.add(parseInt(c, s.where("cpus"), 0, 4095, "a cpu number"));
            }
            Path run = resolve(base, s.optional("run-directory", "/run/qgate"), s.where("run-directory"));
            String metricsText = s.optional("metrics", null);
            InetSocketAddress metrics = metricsText == null ? null
                : socketAddress(metricsText.matches("[0-9]{1,5}") ? "127.0.0.1:" + metricsText : metricsText, s.where("metrics"), true);

            List<PeerSection> peers = new ArrayList<>();
            for (int i = 0; i < peerSections.size(); i++) {
                Section p = new Section(peerSections.get(i), peerWheres.get(i), "peer " + peerNames.get(i),
                    List.of("subject", "endpoint", "allowed-ips"));
                String subject = p.optional("subject", peerNames.get(i));
                String endpointText = p.optional("endpoint", null);
                InetSocketAddress endpoint = endpointText == null ? null : socketAddress(endpointText, p.where("endpoint"), false);
                List<IpPrefix> allowed = new ArrayList<>();
                for (String a : p.list("allowed-ips")) {
                    allowed.add(prefix(a, p.where("allowed-ips")));
                }
                if (allowed.isEmpty()) {
                    throw new ConfigException(p.where(null) + ": [peer " + peerNames.get(i)
                        + "] needs 'allowed-ips' (the inner addresses it may use, such as 10.0.0.2/32)");
                }
                peers.add(new PeerSection(peerNames.get(i), subject, endpoint, List.copyOf(allowed)));
            }
            if (peers.isEmpty()) {
                throw new ConfigException(path + ": has no [peer NAME] section; a gateway needs at least one peer");
            }
            return new GatewayConfig(path, name, listen, List.copyOf(addresses), mtu, pathMtu,
                certificate, privateKey, roots, List.copyOf(suites), workers, io, List.copyOf(cpus), run, List.copyOf(peers), metrics);
        }
    }

    /** A section's keys, with checks that name where each value came from. */
    private record Section(Map<String, String[]> values, String header, String name, List<String> known) {
        Section {
            for (Map.Entry<String, String[]> e : values.entrySet()) {
                if (!known.contains(e.getKey())) {
                    throw new ConfigException(e.getValue()[1] + ": unknown key '" + e.getKey() + "' in [" + name
                        + "]; known keys: " + String.join(", ", known));
                }
            }
        }

        String where(String key) {
            String[] v = key == null ? null : values.get(key);
            return v == null ? header : v[1];
        }

        String required(String key) {
            String[] v = values.get(key);
            if (v == null || v[0].isEmpty()) {
                throw new ConfigException(header + ": [" + name + "] needs '" + key + "'");
            }
            return v[0];
        }

        String optional(String key, String fallback) {
            String[] v = values.get(key);
            return v == null ? fallback : v[0];
        }

        List<String> list(String key) {
            String[] v = values.get(key);
            if (v == null) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (String part : v[0].split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
            return out;
        }

        int integer(String key, int fallback, int min, int max) {
            String[] v = values.get(key);
            return v == null ? fallback : parseInt(v[0], v[1], min, max, "'" + key + "'");
        }

        Path path(String key, Path base) {
            return resolve(base, required(key), where(key));
        }
    }

    /** {@code text} as a path relative to {@code base}; a character no path may hold is refused. */
    private static Path resolve(Path base, String text, String where) {
        try {
            return base.resolve(text);
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConfigException(where + ": '" + text.replaceAll("\\p{Cntrl}", "?") + "' is not a usable path: " + e.getReason());
        }
    }

    private static int parseInt(String text, String where, int min, int max, String what) {
        if (!text.matches("[0-9]{1,9}")) {
            throw new ConfigException(where + ": " + what + " must be a whole number from " + min + " to " + max + ", not '" + text + "'");
        }
        int value = Integer.parseInt(text);
        if (value < min || value > max) {
            throw new ConfigException(where + ": " + what + " must be from " + min + " to " + max + ", not " + value);
        }
        return value;
    }

    private static IpPrefix prefix(String text, String where) {
        try {
            return IpPrefix.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage());
        }
    }

    private static InetAddress hostOf(String text, String where) {
        int slash = text.indexOf('/');
        IpPrefix host = prefix(slash < 0 ? text : text.substring(0, slash), where);
        return host.inetAddress();
    }

    /** {@code host:port} or {@code [v6]:port}; literals only, never a DNS lookup. */
    private static InetSocketAddress socketAddress(String text, String where, boolean listen) {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf("]:");
            if (close < 0) {
                throw new ConfigException(where + ": '" + text + "' is not an address: write [IPv6]:port");
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || text.indexOf(':') != colon) {
                throw new ConfigException(where + ": '" + text + "' is not an address: write IPv4:port or [IPv6]:port");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        int portNumber = parseInt(port, where, listen ? 0 : 1, 65_535, "the port");
        InetAddress address = prefix(host, where).inetAddress();
        if (prefix(host, where).length() != (address.getAddress().length * 8)) {
            throw new ConfigException(where + ": '" + text + "' must be an address, not a prefix");
        }
        return new InetSocketAddress(address, portNumber);
    }
}
