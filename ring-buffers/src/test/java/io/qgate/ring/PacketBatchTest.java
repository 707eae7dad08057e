package io.qgate.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class PacketBatchTest {
    @Test
    void slotsAreCacheLineAlignedSlicesOfOneSegmentThatDoNotOverlap() {
        try (Arena arena = Arena.ofConfined()) {
            PacketBatch batch = new PacketBatch(arena, 4, 100);
            assertEquals(128, batch.slotStride());
            assertEquals(4 * 128, batch.memory().byteSize());
            for (int i = 0; i < 4; i++) {
                MemorySegment slot = batch.slot(i);
                assertEquals(100, slot.byteSize());
                assertEquals(0, slot.address() % PacketBatch.SLOT_ALIGNMENT, "slot " + i + " alignment");
                assertEquals(batch.memory().address() + i * 128L, slot.address());
                slot.fill((byte) (i + 1));
            }
            for (int i = 0; i < 4; i++) {
                assertEquals(i + 1, batch.slot(i).get(ValueLayout.JAVA_BYTE, 99));
                assertEquals(i + 1, batch.slot(i).get(ValueLayout.JAVA_BYTE, 0));
            }
        }
    }

    @Test
    void slotReturnsThePreallocatedSliceEveryTime() {
        try (Arena arena = Arena.ofConfined()) {
            PacketBatch batch = new PacketBatch(arena, 2, 2048);
            assertSame(batch.slot(1), batch.slot(1));
            assertEquals(2048, batch.slotStride());
        }
    }

    @Test
    void clearResetsCountAndEveryMetadataFieldOfEverySlot() {
        try (Arena arena = Arena.ofConfined()) {
            PacketBatch batch = new PacketBatch(arena, 3, 64);
            batch.count(3);
            for (int i = 0; i < 3; i++) {
                batch.length(i, 10 + i).tag(i, 20 + i).status(i, 30 + i).segmentSize(i, 40 + i).offset(i, 50 + i);
            }
            assertEquals(3, batch.count());
            assertEquals(12, batch.length(2));
            assertEquals(22, batch.tag(2));
            assertEquals(32, batch.status(2));
            assertEquals(42, batch.segmentSize(2));
            assertEquals(52, batch.offset(2));
            batch.slot(0).set(ValueLayout.JAVA_BYTE, 0, (byte) 7);
            batch.clear();
            assertEquals(0, batch.count());
            for (int i = 0; i < 3; i++) {
                assertEquals(0, batch.length(i) | batch.tag(i) | batch.status(i) | batch.segmentSize(i) | batch.offset(i),
                    "slot " + i);
            }
            assertEquals(7, batch.slot(0).get(ValueLayout.JAVA_BYTE, 0), "clear leaves the payload alone");
        }
    }

    @Test
    void countOutsideZeroToCapacityIsRejected() {
        try (Arena arena = Arena.ofConfined()) {
            PacketBatch batch = new PacketBatch(arena, 2, 64);
            assertEquals(2, batch.count(2).count());
            assertEquals(0, batch.count(0).count());
            var above = assertThrows(IllegalArgumentException.class, () -> batch.count(3));
            assertEquals("count must be within 0..2, was 3", above.getMessage());
            assertThrows(IllegalArgumentException.class, () -> batch.count(-1));
        }
    }

    @Test
    void slotOutsideTheBatchIsRejected() {
        try (Arena arena = Arena.ofConfined()) {
            PacketBatch batch = new PacketBatch(arena, 2, 64);
            assertThrows(IndexOutOfBoundsException.class, () -> batch.slot(2));
            assertThrows(IndexOutOfBoundsException.class, () -> batch.length(-1));
        }
    }

    @Test
    void badShapesNameTheField() {
        try (Arena arena = Arena.ofConfined()) {
            var capacity = assertThrows(IllegalArgumentException.class, () -> new PacketBatch(arena, 0, 64));
            assertTrue(capacity.getMessage().startsWith("capacity must be at least 1"), capacity.getMessage());
            var slotBytes = assertThrows(IllegalArgumentException.class, () -> new PacketBatch(arena, 1, -5));
            assertTrue(slotBytes.getMessage().startsWith("slotBytes must be at least 1"), slotBytes.getMessage());
        }
    }

    @Test
    void aNewBatchHasNoSequence() {
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(-1, new PacketBatch(arena, 1, 1).sequence());
        }
    }
}
