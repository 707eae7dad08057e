package io.qgate.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** packaging/systemd/qgate@.service: accepted by systemd, and only as privileged as the gateway needs. */
class SystemdUnitTest {
    static final Path UNIT = Command.root().resolve("packaging/systemd/qgate@.service");
    static final Duration LIMIT = Duration.ofSeconds(30);

    @Test
    void unitPassesSystemdAnalyzeVerifyWithoutAWarning(@TempDir Path dir) throws Exception {
        Command verify = verify(dir, Files.readString(UNIT));
        assertEquals(0, verify.exit(), verify.output());
        assertEquals("", verify.out() + verify.err(), "systemd-analyze verify warns:\n" + verify.output());
    }

    @Test
    void verifyReportsAMisspelledSetting(@TempDir Path dir) throws Exception {
        // The check above is only worth something if a bad value shows up in its output.
        Command verify = verify(dir, Files.readString(UNIT).replace("ProtectSystem=strict", "ProtectSystem=strictest"));
        assertTrue((verify.out() + verify.err()).matches("(?s).*qgate@\\.service:\\d+: .*strictest.*"), verify.output());
    }

    @Test
    void unitRunsAsItsOwnUserWithOnlyCapNetAdmin() throws Exception {
        Map<String, List<String>> unit = settings(Files.readString(UNIT));
        assertEquals(List.of("qgate"), unit.get("User"));
        assertEquals(List.of("CAP_NET_ADMIN"), unit.get("CapabilityBoundingSet"));
        assertEquals(List.of("CAP_NET_ADMIN"), unit.get("AmbientCapabilities"));
        assertEquals(List.of("yes"), unit.get("NoNewPrivileges"));
        assertEquals(List.of("/opt/qgate/bin/qgate up /etc/qgate/%i.toml"), unit.get("ExecStart"));
        assertEquals(List.of("/bin/kill -HUP $MAINPID"), unit.get("ExecReload"));
        assertEquals(List.of("simple"), unit.get("Type"));
    }

    @Test
    void unitConfinesFilesDevicesAndSocketsButLetsTheJitWriteCode() throws Exception {
        Map<String, List<String>> unit = settings(Files.readString(UNIT));
        assertEquals(List.of("strict"), unit.get("ProtectSystem"));
        assertEquals(List.of("yes"), unit.get("ProtectHome"));
        assertEquals(List.of("yes"), unit.get("PrivateTmp"));
        assertEquals(List.of("/run/qgate"), unit.get("ReadWritePaths"));
        assertEquals(List.of("/dev/net/tun rw"), unit.get("DeviceAllow"));
        assertEquals(List.of("closed"), unit.get("DevicePolicy"));
        assertEquals(List.of("AF_INET AF_INET6 AF_NETLINK AF_UNIX"), unit.get("RestrictAddressFamilies"));
        assertEquals(List.of("yes"), unit.get("LockPersonality"));
        assertTrue(unit.get("SystemCallFilter").getFirst().startsWith("@system-service io_uring_setup io_uring_enter io_uring_register"),
            unit.get("SystemCallFilter").toString());
        // The JIT needs memory that is writable and executable: the JVM would not start.
        assertFalse(unit.containsKey("MemoryDenyWriteExecute"), "MemoryDenyWriteExecute is set");
        assertFalse(unit.containsKey("PrivateDevices"), "PrivateDevices hides /dev/net/tun");
    }

    /** {@code systemd-analyze verify} of {@code text} as the instance qgate@gw0, with /opt/qgate moved to {@code dir}. */
    private static Command verify(Path dir, String text) throws Exception {
        String missing = "needs systemd-analyze (Debian: apt-get install systemd) to verify the unit";
        if (System.getenv("CI") != null) { // .ci/install-test-deps installs it: under CI this must run
            assertTrue(Command.installed("systemd-analyze"), "under CI this test must run, but it " + missing);
        }
        Assumptions.assumeTrue(Command.installed("systemd-analyze"), missing);
        // verify checks that ExecStart's program exists and is executable: give it one.
        Path launcher = Files.createDirectories(dir.resolve("opt/qgate/bin")).resolve("qgate");
        Files.writeString(launcher, "#!/bin/sh\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path unit = dir.resolve("qgate@.service");
        Files.writeString(unit, text.replace("/opt/qgate/", dir.resolve("opt/qgate") + "/"));
        return Command.run(LIMIT, "systemd-analyze", "verify", "--man=no", dir.resolve("qgate@gw0.service").toString());
    }

    /** The unit's settings: name to values, in order, comments and section headers left out. */
    private static Map<String, List<String>> settings(String text) {
        Map<String, List<String>> settings = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            int eq = line.indexOf('=');
            if (line.isBlank() || line.startsWith("#") || line.startsWith("[") || eq < 0) {
                continue;
            }
            settings.computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>()).add(line.substring(eq + 1).strip());
        }
        return settings;
    }
}
