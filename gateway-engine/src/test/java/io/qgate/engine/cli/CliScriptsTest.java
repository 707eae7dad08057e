package io.qgate.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * {@code qgate demo} and {@code qgate bench} against stand-in scripts under a pretend home, so
 * nothing real runs: the user id is given to the commands, the scripts only record their arguments.
 */
class CliScriptsTest {
    private static final long NOT_ROOT = 1000;

    @TempDir
    Path home;

    /** Creates the commands with {@code uid} as the user id. */
    private static CommandLine.IFactory asUser(long uid) {
        LongSupplier id = () -> uid;
        return new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == DemoCommand.class) {
                    return type.cast(new DemoCommand(id));
                }
                if (type == BenchCommand.class) {
                    return type.cast(new BenchCommand(id));
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
    }

    /** A stand-in for {@code relative} that writes its arguments, one per line, to {@code relative.args} and exits 3. */
    private Path standIn(String relative) throws Exception {
        Path script = home.resolve(relative);
        Files.createDirectories(script.getParent());
        Files.writeString(script, "#!/bin/sh\n: > \"$0.args\"\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> \"$0.args\"; done\nexit 3\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    @Test
    void demoWithoutRootSaysWhatItNeedsAndRunsNothing() throws Exception {
        Path script = standIn(DemoCommand.SCRIPT);
        CliRun run = CliRun.run(asUser(NOT_ROOT), "demo", "--home", home.toString());
        assertEquals(1, run.exit(), run.toString());
        assertEquals("qgate: qgate demo needs root, because it creates network namespaces, a veth pair and TUN devices:"
            + " run it as root, for example with sudo ./qgate demo", run.err().strip());
        assertTrue(Files.notExists(Path.of(script + ".args")), "the script must not run");
    }

    @Test
    void benchWithoutRootSaysWhatItNeedsAndRunsNothing() throws Exception {
        Path script = standIn(BenchCommand.SCRIPT);
        CliRun run = CliRun.run(asUser(NOT_ROOT), "bench", "--home", home.toString(), "--tunnels", "plain");
        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.err().startsWith("qgate: qgate bench needs root, because it creates network namespaces"), run.toString());
        assertTrue(Files.notExists(Path.of(script + ".args")), "the script must not run");
    }

    @Test
    void benchPassesEveryOtherArgumentThroughAndReturnsTheScriptsExitStatus() throws Exception {
        Path script = standIn(BenchCommand.SCRIPT);
        CliRun run = CliRun.run(asUser(0), "bench", "--tunnels", "plain,qgate", "--home", home.toString(), "--seconds", "1",
            "--json", "out.json");
        assertEquals(3, run.exit(), run.toString());
        assertEquals("--tunnels\nplain,qgate\n--seconds\n1\n--json\nout.json\n", Files.readString(Path.of(script + ".args")));
        CliRun help = CliRun.run(asUser(0), "bench", "--home", home.toString(), "--", "--help");
        assertEquals(3, help.exit(), help.toString());
        assertEquals("--help\n", Files.readString(Path.of(script + ".args")), "after --, even qgate's own options pass through");
    }

    /** {@code compare} is a preset of the bench script; {@code soak} it hands on to {@code perf/bin/soak}. */
    @ParameterizedTest
    @CsvSource({"compare, --repeat, 1", "soak, --minutes, 60"})
    void benchPresetReachesTheScriptFirstWithItsOptions(String preset, String option, String value) throws Exception {
        Path script = standIn(BenchCommand.SCRIPT);
        CliRun run = CliRun.run(asUser(0), "bench", preset, "--home", home.toString(), option, value);
        assertEquals(3, run.exit(), run.toString());
        assertEquals(preset + "\n" + option + "\n" + value + "\n", Files.readString(Path.of(script + ".args")));
    }

    @Test
    void demoRunsTheScriptAsRoot() throws Exception {
        Path script = standIn(DemoCommand.SCRIPT);
        CliRun run = CliRun.run(asUser(0), "demo", "--home", home.toString());
        assertEquals(3, run.exit(), run.toString());
        assertEquals("", Files.readString(Path.of(script + ".args")));
    }

    @Test
    void aMissingOrNonExecutableScriptIsNamedWithTheFix() throws Exception {
        CliRun missing = CliRun.run(asUser(0), "demo", "--home", home.toString());
        assertEquals(1, missing.exit(), missing.toString());
        assertEquals("qgate: " + home.resolve("scripts/demo") + " does not exist: pass --home with the qgate checkout that has"
            + " scripts/demo (it is not part of every distribution)", missing.err().strip());
        Path script = standIn(BenchCommand.SCRIPT);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        CliRun notExecutable = CliRun.run(asUser(0), "bench", "--home", home.toString());
        assertEquals("qgate: " + script + " is not executable: chmod +x " + script, notExecutable.err().strip());
    }

    @Test
    void withoutAHomeItSaysToUseTheLauncher() {
        Assumptions.assumeTrue(System.getProperty(ScriptCommand.HOME_PROPERTY) == null
            && System.getenv(ScriptCommand.HOME_ENVIRONMENT) == null, "needs neither -Dqgate.home nor QGATE_HOME set");
        CliRun run = CliRun.run(asUser(0), "demo");
        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.err().startsWith("qgate: cannot tell where qgate is installed"), run.toString());
    }

    @Test
    void theLauncherTellsQgateItsHome() throws Exception {
        Path launcher = Path.of("..", "qgate"); // tests run in gateway-engine/
        Assumptions.assumeTrue(Files.exists(launcher), "needs the ./qgate launcher next to gateway-engine/");
        assertTrue(Files.readString(launcher).contains("-Dqgate.home=\"$root\""), "./qgate must pass -Dqgate.home");
    }
}
