package io.qgate.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The self-contained distribution ({@link BuiltDistribution}) runs: the launcher on the jlink
 * runtime, the runtime's contents, the tarball's listing.
 */
class DistributionTest {
    static final Duration RUN_LIMIT = Duration.ofSeconds(60);

    static Path home;
    static Path tarball;

    @BeforeAll
    static void buildDistribution() throws Exception {
        BuiltDistribution dist = BuiltDistribution.get();
        home = dist.home();
        tarball = dist.tarball();
    }

    @Test
    void versionRunsOnTheBundledRuntimeWithoutAnyJdkOnThePath() throws Exception {
        // No JAVA_HOME and a PATH without java: the launcher must use runtime/bin/java.
        // -XshowSettings:properties prints java.home, which shows which runtime ran.
        Command version = Command.run(RUN_LIMIT, Map.of("PATH", "/usr/bin:/bin", "JAVA_HOME", "/nonexistent",
            "QGATE_JAVA_OPTS", "-XshowSettings:properties"), List.of(home.resolve("bin/qgate").toString(), "version"));
        assertEquals(0, version.exit(), version.output());
        assertTrue(version.out().startsWith("qgate " + Command.version() + "\n"), version.output());
        assertTrue(version.out().contains("Java 25"), version.output());
        assertTrue(version.err().contains("java.home = " + home.resolve("runtime").toRealPath()), version.output());
    }

    @Test
    void selfcheckPassesOnTheBundledRuntime() throws Exception {
        Command selfcheck = Command.run(RUN_LIMIT, home.resolve("bin/qgate").toString(), "selfcheck");
        assertEquals(0, selfcheck.exit(), selfcheck.output());
        assertTrue(selfcheck.out().matches("(?s).*\nselfcheck: [1-9][0-9]* ok, 0 failed.*"), selfcheck.output());
        // The protocol runs end to end: the runtime holds every module the handshake needs.
        assertTrue(selfcheck.out().matches("(?s).*\nprotocol +mlkem768-mldsa65-aes256gcm-sha3 +\\S+ +ok .*"), selfcheck.output());
    }

    @Test
    void launcherWorksThroughASymbolicLinkFromAnotherFolder(@TempDir Path elsewhere) throws Exception {
        Path link = Files.createSymbolicLink(elsewhere.resolve("qgate"), home.resolve("bin/qgate"));
        Command version = Command.run(RUN_LIMIT, link.toString(), "version");
        Files.delete(link); // before @TempDir's cleanup, which warns about links that leave it
        assertEquals(0, version.exit(), version.output());
        assertTrue(version.out().startsWith("qgate " + Command.version()), version.output());
    }

    @Test
    void launcherWithoutItsRuntimeSaysWhatToDo(@TempDir Path broken) throws Exception {
        Files.createDirectories(broken.resolve("bin"));
        Path launcher = Files.copy(home.resolve("bin/qgate"), broken.resolve("bin/qgate"));
        Command version = Command.run(RUN_LIMIT, launcher.toString(), "version");
        assertEquals(1, version.exit(), version.output());
        assertTrue(version.err().startsWith("qgate: the bundled Java runtime is missing"), version.output());
        assertTrue(version.err().contains("unpack the whole qgate distribution again"), version.output());
    }

    @Test
    void launcherPassesTheJvmFlagsOfThePom() throws Exception {
        String pom = Files.readString(Command.root().resolve("pom.xml"));
        String flags = pom.replaceAll("(?s).*<qgate.jvm.flags>(.*?)</qgate.jvm.flags>.*", "$1");
        String launcher = Files.readString(home.resolve("bin/qgate"));
        assertTrue(flags.contains("--enable-native-access=ALL-UNNAMED"), flags);
        assertTrue(launcher.contains("exec \"$java\" " + flags + " ${QGATE_JAVA_OPTS:-}"), launcher);
        assertFalse(launcher.contains("@JVM_FLAGS@"), launcher);
    }

    @Test
    void runtimeIsCutDownWithoutJdkTools() throws Exception {
        Path runtime = home.resolve("runtime");
        assertTrue(Files.isExecutable(runtime.resolve("bin/java")), "no runtime/bin/java");
        assertFalse(Files.exists(runtime.resolve("jmods")), "the runtime has jmods/");
        assertFalse(Files.exists(runtime.resolve("include")), "the runtime has header files");
        assertFalse(Files.exists(runtime.resolve("man")), "the runtime has man pages");
        for (String tool : List.of("javac", "jlink", "jdeps", "jar", "jshell")) {
            assertFalse(Files.exists(runtime.resolve("bin").resolve(tool)), "the runtime has bin/" + tool);
        }
        String release = Files.readString(runtime.resolve("release"));
        Set<String> modules = Arrays.stream(release.replaceAll("(?s).*MODULES=\"([^\"]*)\".*", "$1").split(" ")).collect(Collectors.toSet());
        assertTrue(modules.contains("java.base"), release);
        assertFalse(modules.contains("jdk.compiler"), release);
        assertFalse(modules.contains("java.desktop"), release);
        assertTrue(modules.size() < 15, "jlink took " + modules.size() + " modules: " + modules);
    }

    @Test
    void tarballHoldsTheWholeLayoutUnderOneFolder() throws Exception {
        Command list = Command.run(RUN_LIMIT, "tar", "-tzf", tarball.toString());
        assertEquals(0, list.exit(), list.output());
        String top = "qgate-" + Command.version() + "/";
        List<String> names = list.out().lines().toList();
        for (String name : names) {
            assertTrue(name.startsWith(top), "outside " + top + ": " + name);
        }
        for (String expected : List.of("bin/qgate", "lib/gateway-engine.jar", "runtime/bin/java", "runtime/lib/modules", "runtime/release",
            "share/doc/qgate/README.md", "share/doc/qgate/INSTALL.md", "share/doc/qgate/GATEWAY.md",
            "packaging/systemd/qgate@.service", "packaging/container/Containerfile", "packaging/kubernetes/qgate-daemonset.yaml")) {
            assertTrue(names.contains(top + expected), "the tarball lacks " + expected + "; it holds:\n" + String.join("\n", names));
        }
        assertTrue(names.stream().anyMatch(n -> n.matches(".*/lib/bcprov-jdk18on-.*\\.jar")), "no Bouncy Castle jar in lib/");
        assertFalse(names.stream().anyMatch(n -> n.contains("/runtime/jmods/") || n.endsWith("/bin/javac")), "the tarball holds JDK tools");
        Command launcher = Command.run(RUN_LIMIT, "tar", "-tvzf", tarball.toString(), top + "bin/qgate");
        assertEquals(0, launcher.exit(), launcher.output());
        assertTrue(launcher.out().startsWith("-rwxr-xr-x 0/0 "), "bin/qgate is not an executable owned by 0/0: " + launcher.out());
    }

    @Test
    void distRejectsAnUnknownArgumentWithTheFix() throws Exception {
        Command dist = Command.run(RUN_LIMIT, Command.root().resolve("scripts/dist").toString(), "--frobnicate");
        assertEquals(1, dist.exit(), dist.output());
        assertEquals("dist: unknown argument '--frobnicate': see scripts/dist --help\n", dist.err());
    }
}
