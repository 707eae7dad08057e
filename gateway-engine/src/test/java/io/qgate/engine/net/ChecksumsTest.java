package io.qgate.engine.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChecksumsTest {
    /** RFC 1071 as written: 16-bit big-endian words one at a time, an odd byte padded with zero. */
    private static long reference(byte[] bytes, int from, int length) {
        long sum = 0;
        for (int i = 0; i < length; i += 2) {
            int hi = bytes[from + i] & 0xFF;
            int lo = i + 1 < length ? bytes[from + i + 1] & 0xFF : 0;
            sum += (hi << 8) | lo;
        }
        return sum;
    }

    private static MemorySegment copy(Arena arena, byte[] bytes) {
        MemorySegment p = arena.allocate(bytes.length + 8);
        MemorySegment.copy(bytes, 0, p, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return p;
    }

    @Test
    void rfc1071sExampleSumsTo0xddf2() {
        byte[] bytes = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(0xddf2, Checksums.fold(Checksums.sum(copy(arena, bytes), 0, 8)));
        }
    }

    @Test
    void everyLengthAndAlignmentFoldsLikeTheWordByWordSum() {
        Random random = new Random(1071);
        byte[] bytes = new byte[3000];
        try (Arena arena = Arena.ofConfined()) {
            for (int round = 0; round < 4; round++) {
                switch (round) {
                    case 0 -> random.nextBytes(bytes);
                    case 1 -> java.util.Arrays.fill(bytes, (byte) 0xFF);
                    case 2 -> java.util.Arrays.fill(bytes, (byte) 0);
                    default -> {
                        random.nextBytes(bytes);
                        for (int i = 0; i < bytes.length; i += 3) {
                            bytes[i] = (byte) 0xFF;
                        }
                    }
                }
                MemorySegment p = copy(arena, bytes);
                for (int from = 0; from < 9; from++) {
                    for (int length = 0; length <= 1600; length += from == 0 ? 1 : 37) {
                        long expected = reference(bytes, from, length);
                        long actual = Checksums.sum(p, from, length);
                        int f = from;
                        int n = length;
                        assertEquals(Checksums.fold(expected), Checksums.fold(actual), () -> "round " + f + " length " + n);
                        assertEquals(expected == 0, actual == 0, "zero only for zero bytes");
                        // partial sums add up: the two halves' sums fold like the whole's
                        int half = length / 2 & ~1;
                        assertEquals(Checksums.fold(expected),
                            Checksums.fold(Checksums.sum(p, from, half) + Checksums.sum(p, from + half, length - half)));
                    }
                }
            }
        }
    }

    @Test
    void sixtyFourKibOfOnesDoNotOverflow() {
        byte[] bytes = new byte[65_535];
        java.util.Arrays.fill(bytes, (byte) 0xFF);
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(Checksums.fold(reference(bytes, 0, bytes.length)),
                Checksums.fold(Checksums.sum(copy(arena, bytes), 0, bytes.length)));
        }
    }
}
