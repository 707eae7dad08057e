package io.qgate.ffm.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class MessageBatchTest {
    @Test
    void accessorsReturnPreallocatedSlicesOfTheDeclaredSizes() {
        try (MessageBatch batch = new MessageBatch(8, 2000)) {
            assertEquals(8, batch.capacity());
            assertEquals(2000, batch.bufferBytes());
            for (int i = 0; i < 8; i++) {
                assertSame(batch.buffer(i), batch.buffer(i));
                assertSame(batch.address(i), batch.address(i));
                assertEquals(2000, batch.buffer(i).byteSize());
                assertEquals(Sockaddr.IN6_BYTES, batch.address(i).byteSize());
                assertEquals(0, batch.buffer(i).address() % 64, "buffers are cache-line aligned");
            }
            long gap = batch.buffer(1).address() - batch.buffer(0).address();
            assertTrue(gap >= 2000, "buffers do not overlap");
        }
    }

    @Test
    void settersStoreWhatGettersReturn() throws Exception {
        try (MessageBatch batch = new MessageBatch(2, 1500); Arena arena = Arena.ofConfined()) {
            batch.bufferOffset(1, 64);
            batch.length(1, 1436);
            batch.segmentSize(1, 1200);
            MemorySegment peer = Sockaddr.of(new InetSocketAddress(InetAddress.getByName("::1"), 7), arena);
            batch.address(1, peer);
            assertEquals(64, batch.bufferOffset(1));
            assertEquals(1436, batch.length(1));
            assertEquals(1200, batch.segmentSize(1));
            assertEquals(Sockaddr.IN6_BYTES, batch.addressLength(1));
            assertTrue(Sockaddr.equals(peer, batch.address(1)));
            assertEquals(0, batch.bufferOffset(0));
            assertEquals(0, batch.segmentSize(0));
        }
    }

    @Test
    void rejectsOutOfRangeArgumentsWithTheAllowedRange() {
        assertThrows(IllegalArgumentException.class, () -> new MessageBatch(0, 100));
        assertThrows(IllegalArgumentException.class, () -> new MessageBatch(1025, 100));
        assertThrows(IllegalArgumentException.class, () -> new MessageBatch(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new MessageBatch(1, (1 << 20) + 1));
        try (MessageBatch batch = new MessageBatch(1, 100); Arena arena = Arena.ofConfined()) {
            var offset = assertThrows(IllegalArgumentException.class, () -> batch.bufferOffset(0, 100));
            assertTrue(offset.getMessage().contains("[0, 100)"), offset.getMessage());
            batch.bufferOffset(0, 40);
            var length = assertThrows(IllegalArgumentException.class, () -> batch.length(0, 61));
            assertTrue(length.getMessage().contains("0 to 60 bytes"), length.getMessage());
            assertThrows(IllegalArgumentException.class, () -> batch.length(0, -1));
            assertThrows(IllegalArgumentException.class, () -> batch.segmentSize(0, 65536));
            assertThrows(IllegalArgumentException.class, () -> batch.segmentSize(0, -1));
            assertThrows(IllegalArgumentException.class, () -> batch.address(0, arena.allocate(20)));
        }
    }

    @Test
    void closeIsIdempotentAndEndsAccessToTheBuffers() {
        MessageBatch batch = new MessageBatch(1, 100);
        MemorySegment buffer = batch.buffer(0);
        batch.close();
        batch.close();
        assertThrows(IllegalStateException.class, () -> buffer.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
        assertThrows(IllegalStateException.class, () -> batch.length(0));
    }
}
