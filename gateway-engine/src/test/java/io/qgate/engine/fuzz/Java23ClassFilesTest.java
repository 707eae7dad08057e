package io.qgate.engine.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Java23ClassFilesTest {
    @Test
    void marksAJava25ClassFileAsJava23AndChangesNothingElse() throws IOException {
        byte[] original = classFile(Java23ClassFilesTest.class);
        assertEquals(69, major(original), "compiled for Java 25");
        byte[] marked = original.clone();
        Java23ClassFiles.markJava23(marked);
        assertEquals(Java23ClassFiles.MAJOR_VERSION, major(marked));
        marked[7] = original[7];
        assertArrayEquals(original, marked);
    }

    @Test
    void leavesOlderClassFilesAndOtherFilesAlone() {
        byte[] java17 = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61, 1, 2};
        byte[] notAClass = {1, 2, 3, 4, 5, 6, 0, 69};
        byte[] tooShort = {(byte) 0xCA, (byte) 0xFE};
        for (byte[] file : new byte[][] {java17, notAClass, tooShort}) {
            byte[] copy = file.clone();
            Java23ClassFiles.markJava23(copy);
            assertArrayEquals(file, copy);
        }
    }

    @Test
    void copiesATreeReplacingWhatWasThere(@TempDir Path directory) throws IOException {
        Path source = Files.createDirectories(directory.resolve("classes/io/qgate"));
        Files.write(source.resolve("A.class"), classFile(Java23ClassFilesTest.class));
        Files.writeString(source.resolve("seed.bin"), "not a class");
        Path target = Files.createDirectories(directory.resolve("copy"));
        Files.writeString(target.resolve("stale.class"), "from an earlier run");

        Java23ClassFiles.copy(directory.resolve("classes"), target);

        assertEquals(Java23ClassFiles.MAJOR_VERSION, major(Files.readAllBytes(target.resolve("io/qgate/A.class"))));
        assertEquals("not a class", Files.readString(target.resolve("io/qgate/seed.bin")));
        assertFalse(Files.exists(target.resolve("stale.class")));
    }

    private static int major(byte[] classFile) {
        return (classFile[6] & 0xFF) << 8 | classFile[7] & 0xFF;
    }

    private static byte[] classFile(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            return in.readAllBytes();
        }
    }
}
