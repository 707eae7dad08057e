package io.qgate.perf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The file steps every harness command takes ({@link TunnelBench}, {@link Soak} and the tunnels
 * they start), each failing with a {@link BenchException} that names the file.
 */
final class WorkFiles {
    private WorkFiles() {
    }

    /** A fresh {@code qgb-run-*} directory under the system's temporary directory, for one run. */
    static Path createWorkDir() {
        try {
            return Files.createTempDirectory("qgb-run-");
        } catch (IOException e) {
            throw new BenchException("cannot create a working directory: " + e.getMessage(), e);
        }
    }

    static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BenchException("cannot create the directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code text} to {@code file}, replacing what it held. */
    static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new BenchException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Removes {@code dir} and everything in it (a cleanup step: the failure is reported by {@link Cleanup}). */
    static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
