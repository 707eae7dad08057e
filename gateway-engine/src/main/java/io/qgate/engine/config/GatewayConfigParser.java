package io.qgate.engine.config;

import static io.qgate.engine.config.ConfigProblems.printable;

import io.qgate.engine.config.ConfigTable.Entry;
import io.qgate.engine.config.GatewayConfig.InterfaceAddress;
import io.qgate.engine.config.GatewayConfig.IoBackend;
import io.qgate.engine.config.GatewayConfig.PeerSection;
import io.qgate.engine.net.IpPrefix;
import io.qgate.engine.protocol.Suite;
import io.qgate.engine.trust.PrivateKeyPermissions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseOptions;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Turns the TOML text of a gateway's configuration into a {@link GatewayConfig}, checking every
 * key and collecting every problem before refusing the file. TOML syntax errors are reported on
 * their own (tomlj recovers and finds them all): what a broken file holds is not worth checking.
 */
final class GatewayConfigParser {
    /** The keys of {@code [interface]}, in the order {@code docs/CONFIG.md} lists them, each with an example. */
    private static final Map<String, String> INTERFACE_KEYS = keys(
        "name", "\"qg0\"",
        "listen", "\"192.168.241.1:51820\"",
        "address", "[\"10.241.0.1/24\", \"fd41::1/64\"]",
        "mtu", "1420",
        "path_mtu", "1500",
        "certificate", "\"gw-a.crt\"",
        "private_key", "\"gw-a.key\"",
        "trust_roots", "[\"root.crt\"]",
        "suites", "[\"" + Suite.DEFAULT.suiteName() + "\"]",
        "workers", "0",
        "io", "\"batched\"",
        "offload", "true",
        "cpus", "[0, 1]",
        "run_directory", "\"/run/qgate\"",
        "metrics", "\"127.0.0.1:9586\"",
        "revocation_list", "\"pki/root.crl\"",
        "rekey_after", "120");
    /** The keys of each {@code [[peer]]}. */
    private static final Map<String, String> PEER_KEYS = keys(
        "name", "\"gw-b\"",
        "subject", "\"gw-b\"",
        "endpoint", "\"192.168.241.2:51820\"",
        "allowed_ips", "[\"10.241.0.2/32\", \"fd41::2/128\"]");
    private static final List<String> TOP_LEVEL = List.of("interface", "peer");
    private static final String NAME_CHARACTERS = "letters, digits, '.', '_' or '-'";
    private static final int MAX_PEER_NAME = GatewayConfig.MAX_PEER_NAME;
    /** IPv6 requires every link to carry 1280-byte packets (RFC 8200, section 5). */
    private static final int IPV6_MIN_MTU = 1280;

    private final Path path;
    private final Path base;
    private final ConfigProblems problems;
    private final Function<String, TomlParseResult> toml;

    GatewayConfigParser(Path path) {
        this(path, text -> Toml.parse(text, TomlParseOptions.defaults().withoutSource()));
    }

    /** With another TOML parser, so that a test can make it fail as tomlj once did. */
    GatewayConfigParser(Path path, Function<String, TomlParseResult> toml) {
        this.toml = toml;
        this.path = path;
        Path parent = path.toAbsolutePath().getParent();
        this.base = parent == null ? Path.of(".") : parent;
        this.problems = new ConfigProblems(path.toString());
    }

    GatewayConfig parse(String text) {
        TomlParseResult document = parseToml(withoutControlCharacters(text));
        if (!problems.isEmpty()) {
            oldFormatHints(text);
        }
        problems.throwIfAny();
        for (String key : document.keySet()) {
            if (!TOP_LEVEL.contains(key)) {
                problems.add(document.inputPositionOf(List.of(key)), "unknown table or key '" + printable(key) + "'; "
                    + Spelling.suggestion(key, TOP_LEVEL));
            }
        }
        Interface iface = readInterface(document);
        List<PeerSection> peers = readPeers(document);
        problems.throwIfAny();
        return new GatewayConfig(path, iface.name, iface.listen, iface.addresses, iface.mtu, iface.pathMtu,
            iface.certificate, iface.privateKey, iface.trustRoots, iface.suites, iface.workers, iface.io, iface.offload, iface.cpus,
            iface.runDirectory, peers, iface.metrics, iface.revocationList, iface.rekeyAfterSeconds);
    }

    /** The {@code [interface]} values as read; a null field had a problem, already reported. */
    private static final class Interface {
        String name;
        InetSocketAddress listen;
        List<InterfaceAddress> addresses;
        Integer mtu;
        Integer pathMtu;
        Path certificate;
        Path privateKey;
        List<Path> trustRoots;
        List<Suite> suites;
        Integer workers;
        IoBackend io;
        Boolean offload;
        List<Integer> cpus;
        Path runDirectory;
        /** Null: off (the default). */
        InetSocketAddress metrics;
        /** Null: none. */
        Path revocationList;
        Integer rekeyAfterSeconds;
    }

    private Interface readInterface(TomlParseResult toml) {
        Interface i = new Interface();
        Object value = toml.get(List.of("interface"));
        if (value == null) {
            problems.add(0, "has no [interface] table; add one with name, certificate, private_key and trust_roots"
                + " (see docs/CONFIG.md)");
            return i;
        }
        if (!(value instanceof TomlTable table)) {
            problems.add(toml.inputPositionOf(List.of("interface")), "interface is " + ConfigTable.typeOf(value)
                + "; write one [interface] table, a line [interface] followed by its keys");
            return i;
        }
        ConfigTable t = new ConfigTable(table, "[interface]", line(toml.inputPositionOf(List.of("interface"))), INTERFACE_KEYS,
            problems);
        i.name = t.required("name", "the TUN device to create");
        if (i.name != null && !GatewayConfig.isInterfaceName(i.name)) {
            t.problem("name", "name '" + printable(i.name) + "' is not a usable interface name; use 1 to "
                + GatewayConfig.MAX_INTERFACE_NAME + " " + NAME_CHARACTERS);
        }
        String listen = t.string("listen", "0.0.0.0:51820");
        i.listen = listen == null ? null : socketAddress(t, "listen", listen, true);
        i.addresses = addresses(t);
        i.mtu = t.integer("mtu", 1420, 576, 65_535);
        i.pathMtu = t.integer("path_mtu", 1500, 576, 65_535);
        if (i.mtu != null && i.mtu < IPV6_MIN_MTU && i.addresses != null) {
            i.addresses.stream().filter(a -> !a.prefix().isV4()).findFirst().ifPresent(a -> t.problem("mtu", "mtu " + i.mtu
                + " is below " + IPV6_MIN_MTU + ", the least IPv6 allows (address " + a + "); use a value between "
                + IPV6_MIN_MTU + " and 65535, or remove the IPv6 address"));
        }
        String certificate = t.required("certificate", "this gateway's certificate file");
        i.certificate = certificate == null ? null : path(t, "certificate", certificate, t.line("certificate"));
        String privateKey = t.required("private_key", "this gateway's private-key file, mode 0600");
        i.privateKey = privateKey == null ? null : path(t, "private_key", privateKey, t.line("private_key"));
        if (i.privateKey != null && Files.exists(i.privateKey)) {
            Optional<String> open = PrivateKeyPermissions.tooOpen(i.privateKey);
            open.ifPresent(why -> t.problem("private_key", "private_key " + printable(privateKey) + " " + why));
        }
        i.trustRoots = trustRoots(t);
        i.suites = suites(t);
        i.workers = t.integer("workers", 0, 0, 64);
        i.rekeyAfterSeconds = t.integer("rekey_after", GatewayConfig.DEFAULT_REKEY_AFTER_SECONDS,
            GatewayConfig.MIN_REKEY_AFTER_SECONDS, GatewayConfig.DEFAULT_REKEY_AFTER_SECONDS);
        String io = t.string("io", "batched");
        i.io = io == null ? null : IoBackend.named(io);
        if (io != null && i.io == null) {
            t.problem("io", "io \"" + printable(io) + "\" is not an I/O backend; use \"batched\" or \"io_uring\"");
        }
        i.offload = t.bool("offload", true);
        i.cpus = t.integers("cpus", 0, 4095);
        String run = t.string("run_directory", "/run/qgate");
        i.runDirectory = run == null ? null : path(t, "run_directory", run, t.line("run_directory"));
        String metrics = t.string("metrics", null);
        if (metrics != null) {
            // a port alone binds the loopback address: metrics are the operator's, not the network's
            i.metrics = socketAddress(t, "metrics", metrics.matches("[0-9]{1,5}") ? "127.0.0.1:" + metrics : metrics, true);
        }
        String crl = t.string("revocation_list", null);
        if (crl != null) {
            i.revocationList = path(t, "revocation_list", crl, t.line("revocation_list"));
        }
        return i;
    }

    private List<InterfaceAddress> addresses(ConfigTable t) {
        List<Entry<String>> entries = t.strings("address");
        if (entries == null) {
            return null;
        }
        List<InterfaceAddress> out = new ArrayList<>();
        for (Entry<String> e : entries) {
            IpPrefix network = prefix(t, "address", e);
            if (network != null) {
                int slash = e.value().indexOf('/');
                InetAddress host = IpPrefix.parse(slash < 0 ? e.value() : e.value().substring(0, slash)).inetAddress();
                out.add(new InterfaceAddress(host, network.length()));
            }
        }
        return out.size() == entries.size() ? List.copyOf(out) : null;
    }

    private List<Path> trustRoots(ConfigTable t) {
        if (!t.has("trust_roots")) {
            t.required("trust_roots", "the root certificate files peers' certificates must chain to");
            return null;
        }
        List<Entry<String>> entries = t.strings("trust_roots");
        if (entries == null) {
            return null;
        }
        if (entries.isEmpty()) {
            t.problem("trust_roots", "trust_roots is empty; list at least one root certificate file, as in trust_roots = [\"root.crt\"]");
            return null;
        }
        List<Path> out = new ArrayList<>();
        for (Entry<String> e : entries) {
            Path p = path(t, "trust_roots", e.value(), e.line());
            if (p != null) {
                out.add(p);
            }
        }
        return out.size() == entries.size() ? List.copyOf(out) : null;
    }

    private List<Suite> suites(ConfigTable t) {
        List<Entry<String>> entries = t.strings("suites");
        if (entries == null) {
            return null;
        }
        List<Suite> out = new ArrayList<>();
        for (Entry<String> e : entries) {
            try {
                out.add(Suite.fromName(e.value()));
            } catch (IllegalArgumentException x) {
                problems.add(e.line(), "suites: " + printable(x.getMessage()));
            }
        }
        return out.size() == entries.size() ? List.copyOf(out) : null;
    }

    private List<PeerSection> readPeers(TomlParseResult toml) {
        Object value = toml.get(List.of("peer"));
        if (value == null) {
            problems.add(0, "has no [[peer]] table; add one per peer, with name and allowed_ips (see docs/CONFIG.md)");
            return null;
        }
        int headerLine = line(toml.inputPositionOf(List.of("peer")));
        if (!(value instanceof TomlArray array)) {
            problems.add(headerLine, "peer is " + ConfigTable.typeOf(value)
                + "; write [[peer]] (double brackets) before each peer, with name = \"...\" among its keys");
            return null;
        }
        if (array.isEmpty()) {
            problems.add(headerLine, "peer is an empty list; add a [[peer]] table per peer, with name and allowed_ips");
            return null;
        }
        List<PeerSection> peers = new ArrayList<>();
        Map<String, Integer> nameLines = new HashMap<>();
        Map<IpPrefix, String> owners = new HashMap<>();
        for (int i = 0; i < array.size(); i++) {
            TomlPosition at = array.inputPositionOf(i);
            int line = at == null ? headerLine : at.line();
            if (!(array.get(i) instanceof TomlTable table)) {
                problems.add(line, "peer holds " + ConfigTable.typeOf(array.get(i))
                    + "; write [[peer]] (double brackets) before each peer, with its keys below");
                continue;
            }
            PeerSection peer = readPeer(table, i, line, nameLines, owners);
            if (peer != null) {
                peers.add(peer);
            }
        }
        return peers.size() == array.size() ? List.copyOf(peers) : null;
    }

    private PeerSection readPeer(TomlTable table, int index, int line, Map<String, Integer> nameLines,
            Map<IpPrefix, String> owners) {
        String label = table.get(List.of("name")) instanceof String s && GatewayConfig.isPeerName(s)
            ? "[[peer]] '" + s + "'" : "[[peer]] number " + (index + 1);
        ConfigTable t = new ConfigTable(table, label, line, PEER_KEYS, problems);
        String name = t.required("name", "how logs and 'qgate show' name the peer; 1 to " + MAX_PEER_NAME + " " + NAME_CHARACTERS);
        if (name != null && !GatewayConfig.isPeerName(name)) {
            t.problem("name", "peer name '" + printable(name) + "' is not usable; use 1 to " + MAX_PEER_NAME + " " + NAME_CHARACTERS);
            name = null;
        } else if (name != null && nameLines.containsKey(name)) {
            t.problem("name", "peer name '" + name + "' is used twice (first at line " + nameLines.get(name)
                + "); give each peer its own name");
            name = null;
        } else if (name != null) {
            nameLines.put(name, t.line("name"));
        }
        String subject = t.string("subject", name);
        String endpointText = t.string("endpoint", null);
        InetSocketAddress endpoint = endpointText == null ? null : socketAddress(t, "endpoint", endpointText, false);
        List<IpPrefix> allowed = allowedIps(t, name, owners);
        boolean endpointOk = endpointText == null ? !t.has("endpoint") : endpoint != null;
        if (name == null || subject == null || !endpointOk || allowed == null) {
            return null;
        }
        return new PeerSection(name, subject, endpoint, allowed);
    }

    private List<IpPrefix> allowedIps(ConfigTable t, String peer, Map<IpPrefix, String> owners) {
        if (!t.has("allowed_ips")) {
            t.required("allowed_ips", "the inner addresses this peer may use and is routed");
            return null;
        }
        List<Entry<String>> entries = t.strings("allowed_ips");
        if (entries == null) {
            return null;
        }
        if (entries.isEmpty()) {
            t.problem("allowed_ips", "allowed_ips is empty; list the inner addresses this peer may use, as in allowed_ips = "
                + PEER_KEYS.get("allowed_ips"));
            return null;
        }
        List<IpPrefix> out = new ArrayList<>();
        for (Entry<String> e : entries) {
            IpPrefix prefix = prefix(t, "allowed_ips", e);
            if (prefix == null) {
                continue;
            }
            String owner = owners.putIfAbsent(prefix, (peer == null ? t.label() : "peer " + peer) + " (line " + e.line() + ")");
            if (owner != null) {
                problems.add(e.line(), "allowed_ips " + prefix + " is already routed to " + owner
                    + "; give each prefix to one peer");
                continue;
            }
            out.add(prefix);
        }
        return out.size() == entries.size() ? List.copyOf(out) : null;
    }

    private IpPrefix prefix(ConfigTable t, String key, Entry<String> e) {
        try {
            return IpPrefix.parse(e.value());
        } catch (IllegalArgumentException x) {
            problems.add(e.line(), key + ": " + printable(x.getMessage()) + "; write it as in " + key + " = " + example(t, key));
            return null;
        }
    }

    /** {@code host:port} or {@code [v6]:port}; literals only, never a DNS lookup. */
    private InetSocketAddress socketAddress(ConfigTable t, String key, String text, boolean listen) {
        String host;
        String port;
        int close = text.indexOf("]:");
        int colon = text.lastIndexOf(':');
        if (text.startsWith("[") && close > 0) {
            host = text.substring(1, close);
            port = text.substring(close + 2);
        } else if (!text.startsWith("[") && colon > 0 && text.indexOf(':') == colon) {
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        } else {
            t.problem(key, key + " '" + printable(text) + "' is not an address and port; write IPv4:port or [IPv6]:port,"
                + " as in " + key + " = " + example(t, key));
            return null;
        }
        int minPort = listen ? 0 : 1;
        if (!port.matches("[0-9]{1,9}")) {
            t.problem(key, key + " '" + printable(text) + "' has no port number after the ':'; write it as in " + key + " = "
                + example(t, key));
            return null;
        }
        int portNumber = Integer.parseInt(port);
        if (portNumber < minPort || portNumber > 65_535) {
            t.problem(key, key + " port " + portNumber + " is outside " + minPort + ".." + 65_535 + "; use a port between "
                + minPort + " and 65535");
            return null;
        }
        IpPrefix address;
        try {
            address = IpPrefix.parse(host);
        } catch (IllegalArgumentException x) {
            t.problem(key, key + ": " + printable(x.getMessage()) + "; write an IP address (qgate does no DNS lookups), as in "
                + key + " = " + example(t, key));
            return null;
        }
        if (address.length() != address.address().length * 8) {
            t.problem(key, key + " '" + printable(text) + "' names a prefix; write one address, as in " + key + " = "
                + example(t, key));
            return null;
        }
        return new InetSocketAddress(address.inetAddress(), portNumber);
    }

    /** {@code text} as a path relative to the file's folder; a character no path may hold is reported. */
    private Path path(ConfigTable t, String key, String text, int line) {
        try {
            return base.resolve(text);
        } catch (InvalidPathException e) {
            problems.add(line, key + " '" + printable(text) + "' is not a usable path (" + e.getReason()
                + "); write the file's path, absolute or relative to " + base);
            return null;
        }
    }

    private static String example(ConfigTable t, String key) {
        return t.label().equals("[interface]") ? INTERFACE_KEYS.get(key) : PEER_KEYS.get(key);
    }

    /** The parsed text, or null with its syntax errors reported. */
    private TomlParseResult parseToml(String text) {
        TomlParseResult result;
        try {
            result = toml.apply(text);
        } catch (RuntimeException e) {
            // tomlj 2.2.0 promises never to throw on bad input, yet fuzzing found an exception (an
            // unclosed inline table followed by a comment holding a NUL); any other such slip is a
            // refusal of the file too, never a stack trace
            problems.add(0, "could not be read as TOML (the parser failed: " + printable(String.valueOf(e))
                + "); check its brackets, quotes and comments");
            return null;
        }
        for (TomlParseError e : result.errors()) {
            problems.add(e.position(), syntax(e));
        }
        return result;
    }

    /**
     * {@code text} with each control character TOML forbids (all but tab, and CR before LF) reported
     * and replaced by a space, so that the parser reports the file's other syntax errors too.
     */
    private String withoutControlCharacters(String text) {
        StringBuilder clean = null;
        int line = 1;
        int column = 1;
        int reportedLine = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean forbidden = c < 0x20 && c != '\t' && c != '\n' && !(c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n')
                || c == 0x7f;
            if (forbidden) {
                if (clean == null) {
                    clean = new StringBuilder(text);
                }
                clean.setCharAt(i, ' ');
                if (reportedLine != line) {
                    reportedLine = line;
                    problems.add(line, String.format("control character U+%04X at column %d; a TOML file holds none: remove it,"
                        + " or inside a string write it as the escape \\u%04X", (int) c, column, (int) c));
                }
            }
            if (c == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return clean == null ? text : clean.toString();
    }

    /** A TOML syntax error: tomlj's message says what was expected; quoting is the usual fix for old-style files. */
    private static String syntax(TomlParseError e) {
        String message = e.getMessage();
        TomlPosition p = e.position();
        String column = p == null ? "" : " at column " + p.column();
        String hint = message.contains("expected a value") && !message.contains("end of line")
            ? " (text values need quotes, as in name = \"qg0\")" : "";
        return "not valid TOML" + column + ": " + printable(message) + hint;
    }

    /**
     * Points at {@code [peer NAME]} headers of the format qgate read before TOML, which fail to
     * parse for a reason tomlj cannot know.
     */
    private void oldFormatHints(String text) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.startsWith("[peer ") && l.endsWith("]")) {
                String name = l.substring(6, l.length() - 1).strip();
                problems.add(i + 1, printable(l) + " is the format before TOML; write [[peer]] and below it name = \""
                    + printable(name) + "\" (see docs/CONFIG.md)");
            }
        }
    }

    private static int line(TomlPosition position) {
        return position == null ? 0 : position.line();
    }

    private static Map<String, String> keys(String... keysAndExamples) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndExamples.length; i += 2) {
            m.put(keysAndExamples[i], keysAndExamples[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
