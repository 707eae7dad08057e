package io.qgate.engine.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Copies of class directories that Jazzer 0.24.0 can instrument. Its shaded ASM reads class files
 * up to Java 23 (major version 67) and refuses qgate's, compiled for Java 25 (major 69), with
 * "Unsupported class file major version 69": nothing would be instrumented, so libFuzzer would
 * mutate blind. Java 24 and 25 added no class file structure that qgate's classes use (no new
 * constant pool entries, attributes or instructions; preview features are off), so a copy whose
 * header says 67 is the same code to the JVM and readable to ASM. Only the fuzzing JVMs load these
 * copies; the build and every other test use the classes as compiled.
 */
final class Java23ClassFiles {
    /** Java 23's class file major version, the newest Jazzer 0.24.0's ASM (9.7) reads. */
    static final int MAJOR_VERSION = 67;
    private static final int MAJOR_VERSION_OFFSET = 6;
    private static final int MAGIC = 0xCAFEBABE;

    private Java23ClassFiles() {
    }

    /**
     * Replaces {@code target} with a copy of {@code source} in which every class file newer than
     * Java 23 is marked Java 23; other files (seed corpora, properties) are copied as they are.
     */
    static void copy(Path source, Path target) throws IOException {
        deleteRecursively(target);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    byte[] bytes = Files.readAllBytes(file);
                    if (file.toString().endsWith(".class")) {
                        markJava23(bytes);
                    }
                    Files.write(copy, bytes);
                }
            }
        }
    }

    /** Sets the major version of {@code classFile} to 67 if it is newer; leaves anything else alone. */
    static void markJava23(byte[] classFile) {
        if (classFile.length < MAJOR_VERSION_OFFSET + 2 || readInt(classFile) != MAGIC) {
            return;
        }
        int major = (classFile[MAJOR_VERSION_OFFSET] & 0xFF) << 8 | classFile[MAJOR_VERSION_OFFSET + 1] & 0xFF;
        if (major > MAJOR_VERSION) {
            classFile[MAJOR_VERSION_OFFSET] = (byte) (MAJOR_VERSION >>> 8);
            classFile[MAJOR_VERSION_OFFSET + 1] = (byte) MAJOR_VERSION;
        }
    }

    static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static int readInt(byte[] bytes) {
        return (bytes[0] & 0xFF) << 24 | (bytes[1] & 0xFF) << 16 | (bytes[2] & 0xFF) << 8 | bytes[3] & 0xFF;
    }
}
