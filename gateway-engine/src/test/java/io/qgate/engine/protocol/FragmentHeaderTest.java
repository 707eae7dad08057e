package io.qgate.engine.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FragmentHeaderTest {
    @Test
    void writesEveryFieldBigEndianAtItsSpecOffset() {
        byte[] bytes = new byte[FragmentHeader.LENGTH];
        new FragmentHeader().wrap(MemorySegment.ofArray(bytes))
            .type(2).version(1).messageLength(0x1234).senderIndex(0x89ABCDEF).receiverIndex(0x01020304)
            .fragmentOffset(0xFEDC).fragmentIndex(5).fragmentCount(64);
        assertArrayEquals(new byte[] {
            2, 1, 0x12, 0x34,
            (byte) 0x89, (byte) 0xAB, (byte) 0xCD, (byte) 0xEF,
            1, 2, 3, 4,
            (byte) 0xFE, (byte) 0xDC, 5, 64}, bytes);
    }

    @Test
    void readsUnsignedMaximaWithoutSignExtension() {
        byte[] bytes = new byte[FragmentHeader.LENGTH];
        Arrays.fill(bytes, (byte) 0xFF);
        FragmentHeader header = new FragmentHeader().wrap(MemorySegment.ofArray(bytes));
        assertEquals(255, header.type());
        assertEquals(255, header.version());
        assertEquals(65_535, header.messageLength());
        assertEquals(0xFFFF_FFFF, header.senderIndex());
        assertEquals(0xFFFF_FFFF, header.receiverIndex());
        assertEquals(65_535, header.fragmentOffset());
        assertEquals(255, header.fragmentIndex());
        assertEquals(255, header.fragmentCount());
    }

    @Test
    void readsAHeaderAtAnOffsetInsideALargerSegment() {
        byte[] bytes = new byte[3 + FragmentHeader.LENGTH];
        MemorySegment segment = MemorySegment.ofArray(bytes);
        new FragmentHeader().wrap(segment, 3).type(3).messageLength(700).fragmentIndex(2).fragmentCount(3);
        assertEquals(0, bytes[0]);
        assertEquals(3, bytes[3]);
        FragmentHeader header = new FragmentHeader().wrap(segment.asSlice(3));
        assertEquals(3, header.type());
        assertEquals(700, header.messageLength());
        assertEquals(2, header.fragmentIndex());
        assertEquals(3, header.fragmentCount());
    }
}
