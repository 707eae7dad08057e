package io.qgate.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The distribution {@code scripts/dist --no-build} makes from the jars the reactor has just
 * packaged, built once per test JVM (about 15 s) for every test class that runs it, and deleted
 * when the JVM exits. Its folder is world-readable, so that a test may run it as another user.
 *
 * <p>Thread safety: {@link #get()} is synchronized; JUnit runs these classes one at a time anyway.
 */
record BuiltDistribution(Path home, Path tarball) {
    /** scripts/dist without the Maven build: jdeps, jlink, copying, gzip. */
    static final Duration LIMIT = Duration.ofSeconds(120);

    private static BuiltDistribution built;

    static synchronized BuiltDistribution get() throws Exception {
        if (built == null) {
            built = build();
        }
        return built;
    }

    private static BuiltDistribution build() throws Exception {
        Path jar = Command.root().resolve("gateway-engine/target/gateway-engine.jar");
        boolean packaged = Files.isRegularFile(jar)
            && !newerThan(Command.root().resolve("gateway-engine/target/classes"), Files.getLastModifiedTime(jar));
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(packaged, "needs gateway-engine packaged and up to date (" + jar
                + "): run ./mvnw verify, or ./mvnw package -DskipTests first");
        } else {
            assertTrue(packaged, "gateway-engine is not packaged (or its jar is older than its classes) under CI: " + jar);
        }
        Path out = Files.createTempDirectory("qgt-dist");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(out)));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
        Command dist = Command.run(LIMIT, Command.root().resolve("scripts/dist").toString(), "--no-build", "--output", out.toString());
        assertEquals(0, dist.exit(), dist.output());
        try (Stream<Path> files = Files.list(out)) {
            Path tarball = files.filter(f -> f.getFileName().toString().matches("qgate-.*-linux-.*\\.tar\\.gz")).findFirst().orElseThrow(
                () -> new AssertionError("scripts/dist wrote no qgate-<version>-linux-<arch>.tar.gz in " + out + "\n" + dist.output()));
            return new BuiltDistribution(out.resolve("qgate-" + Command.version()), tarball);
        }
    }

    /** The launcher, bin/qgate. */
    Path launcher() {
        return home.resolve("bin/qgate");
    }

    /** True if any file under {@code dir} was modified after {@code time}. */
    private static boolean newerThan(Path dir, FileTime time) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(f -> {
                try {
                    return Files.isRegularFile(f) && Files.getLastModifiedTime(f).compareTo(time) > 0;
                } catch (IOException e) {
                    return true;
                }
            });
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is not worth failing a finished run for
        }
    }
}
