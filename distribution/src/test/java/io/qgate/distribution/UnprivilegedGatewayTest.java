package io.qgate.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the systemd unit promises, tried without systemd: the distribution's gateway runs as an
 * unprivileged user whose only capability is CAP_NET_ADMIN (ambient, bounding set cut to it,
 * no_new_privs), as {@code User=qgate} with {@code AmbientCapabilities=CAP_NET_ADMIN} runs it. It
 * runs in a network namespace this test creates and removes ({@code qgt-} plus random hex), with
 * a private bind mount of a mode-0666 /dev/net/tun, udev's default, which this machine may not have.
 * Needs root to set that up; about 10 s.
 */
class UnprivilegedGatewayTest {
    /** nobody / nogroup on Debian. */
    static final String UID = "65534";
    /** CAP_NET_ADMIN is capability 12 (linux/capability.h): bit 12 of the /proc masks. */
    static final String CAP_NET_ADMIN_MASK = "0000000000001000";
    static final Duration LIMIT = Duration.ofSeconds(30);

    @Test
    void gatewayRunsAsAnUnprivilegedUserWithOnlyCapNetAdmin(@TempDir Path tmp) throws Exception {
        requireRootAndTools();
        BuiltDistribution dist = BuiltDistribution.get();
        String id = "qgt-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
        String ifname = id.replace("-", "");
        Path work = Files.createDirectories(tmp.resolve("work"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path config = writeGateway(dist, work, ifname);
        Path log = work.resolve("up.log");
        Process gateway = null;
        sh("ip", "netns", "add", id);
        try {
            sh("ip", "-n", id, "link", "set", "lo", "up");
            String tun = work.resolve("tun").toString();
            sh("mknod", "-m", "0666", tun, "c", "10", "200");
            // ip netns exec gives the shell its own mount namespace; unshare keeps the bind mount private to it.
            gateway = new ProcessBuilder("ip", "netns", "exec", id, "unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount --bind \"$1\" /dev/net/tun && shift && exec \"$@\"", "sh", tun,
                "setpriv", "--reuid=" + UID, "--regid=" + UID, "--clear-groups", "--inh-caps=-all,+net_admin",
                "--ambient-caps=-all,+net_admin", "--bounding-set=-all,+net_admin", "--no-new-privs",
                dist.launcher().toString(), "up", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            String up = "interface " + ifname + " up";
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (!Files.readString(log).contains(up) && gateway.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(Files.readString(log).contains(up), "the gateway did not come up:\n" + Files.readString(log));

            long pid = Long.parseLong(Files.readString(work.resolve("run").resolve(ifname + ".pid")).strip());
            Map<String, String> status = procStatus(pid);
            assertEquals(UID, status.get("Uid").split("\\s+")[1], "effective uid: " + status);
            assertEquals(CAP_NET_ADMIN_MASK, status.get("CapEff"), "effective capabilities: " + status);
            assertEquals(CAP_NET_ADMIN_MASK, status.get("CapBnd"), "bounding set: " + status);
            assertEquals("1", status.get("NoNewPrivs"), "no_new_privs: " + status);

            Command addresses = Command.run(LIMIT, "ip", "-n", id, "-o", "addr", "show", "dev", ifname);
            assertTrue(addresses.out().contains("10.249.0.1/24"), addresses.output());
            Command show = Command.run(LIMIT, Map.of(), List.of("ip", "netns", "exec", id, "setpriv", "--reuid=" + UID,
                "--regid=" + UID, "--clear-groups", dist.launcher().toString(), "show", ifname, "--run-directory", work.resolve("run").toString()));
            assertEquals(0, show.exit(), show.output());
            assertTrue(show.out().startsWith("interface: " + ifname + "\n") && show.out().contains("state: running"), show.output());

            ProcessHandle.of(pid).orElseThrow().destroy(); // SIGTERM, as systemctl stop sends
            assertTrue(gateway.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS), "the gateway did not stop on SIGTERM");
            assertTrue(Files.readString(log).contains(ifname + ": stopped"), Files.readString(log));
            assertEquals(143, gateway.exitValue(), "exit status after SIGTERM (the unit's SuccessExitStatus)");
        } finally {
            if (gateway != null && gateway.isAlive()) {
                gateway.descendants().forEach(ProcessHandle::destroyForcibly);
                gateway.destroyForcibly();
                gateway.waitFor(10, TimeUnit.SECONDS);
            }
            Command.run(LIMIT, "ip", "netns", "del", id);
        }
    }

    /** A root, a certificate and a configuration for one gateway, owned by the unprivileged user. */
    private static Path writeGateway(BuiltDistribution dist, Path work, String ifname) throws Exception {
        String qgate = dist.launcher().toString();
        Path pki = work.resolve("pki");
        sh(qgate, "ca", "create", "--out", pki.toString());
        sh(qgate, "cert", "issue", "--ca", pki.toString(), "--subject", "gw-a", "--out", pki.toString());
        // The configuration format of docs/CONFIG.md; the peer never answers, which this test does not need.
        Path config = work.resolve("gw-a.toml");
        Files.writeString(config, String.join("\n",
            "[interface]",
            "name = \"" + ifname + "\"",
            "listen = \"127.0.0.1:51820\"",
            "address = [\"10.249.0.1/24\"]",
            "certificate = \"pki/gw-a.crt\"",
            "private_key = \"pki/gw-a.key\"",
            "trust_roots = [\"pki/root.crt\"]",
            "run_directory = \"" + work.resolve("run") + "\"",
            "",
            "[[peer]]",
            "name = \"gw-b\"",
            "endpoint = \"127.0.0.1:51821\"",
            "allowed_ips = [\"10.249.0.2/32\"]",
            ""));
        sh("chown", "-R", UID + ":" + UID, work.toString());
        return config;
    }

    private static Map<String, String> procStatus(long pid) throws Exception {
        Map<String, String> status = new java.util.LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            int colon = line.indexOf(':');
            status.put(line.substring(0, colon), line.substring(colon + 1).strip());
        }
        return status;
    }

    private static void requireRootAndTools() {
        List<String> missing = new ArrayList<>();
        if (!"root".equals(System.getProperty("user.name"))) {
            Assumptions.abort("needs root (a network namespace, a bind mount over /dev/net/tun, setpriv to another user)");
        }
        for (String tool : List.of("ip", "unshare", "setpriv", "mknod", "mount", "chown")) {
            if (!Command.installed(tool)) {
                missing.add(tool);
            }
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            missing.add("/dev/net/tun (modprobe tun)");
        }
        String why = "needs " + missing + " (Debian packages iproute2, util-linux, coreutils, mount)";
        if (System.getenv("CI") != null) {
            assertTrue(missing.isEmpty(), "under CI as root this test must run, but it " + why);
        }
        Assumptions.assumeTrue(missing.isEmpty(), why);
    }

    private static void sh(String... command) throws Exception {
        Command result = Command.run(LIMIT, command);
        assertEquals(0, result.exit(), String.join(" ", command) + "\n" + result.output());
    }
}
