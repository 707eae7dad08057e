package io.qgate.crypto;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class ConstantTimeTest {
    @Test
    void arraysEqualOnlyWhenEveryByteMatches() {
        byte[] a = new byte[64];
        for (int i = 0; i < a.length; i++) {
            byte[] b = a.clone();
            b[i] ^= (byte) 0x80;
            assertFalse(ConstantTime.equals(a, b), "difference at " + i);
        }
        assertTrue(ConstantTime.equals(a, a.clone()));
        assertFalse(ConstantTime.equals(a, new byte[63]));
        assertTrue(ConstantTime.equals(new byte[0], new byte[0]));
    }

    @Test
    void segmentsCompareAcrossHeapAndOffHeap() {
        try (Arena arena = Arena.ofConfined()) {
            byte[] heap = {1, 2, 3, 4, 5};
            MemorySegment native1 = arena.allocate(5);
            MemorySegment.copy(heap, 0, native1, ValueLayout.JAVA_BYTE, 0, 5);
            assertTrue(ConstantTime.equals(MemorySegment.ofArray(heap), native1));
            native1.set(ValueLayout.JAVA_BYTE, 4, (byte) 6);
            assertFalse(ConstantTime.equals(MemorySegment.ofArray(heap), native1));
            assertFalse(ConstantTime.equals(MemorySegment.ofArray(heap), native1.asSlice(0, 4)));
        }
    }
}
