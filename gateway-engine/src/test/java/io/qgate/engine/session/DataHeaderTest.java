package io.qgate.engine.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class DataHeaderTest {
    @Property
    void everyFieldValueRoundTrips(@ForAll @IntRange(max = 255) int type, @ForAll @IntRange(max = 255) int version,
            @ForAll @IntRange(max = 65_535) int epoch, @ForAll int receiverIndex, @ForAll long counter) {
        MemorySegment segment = MemorySegment.ofArray(new byte[DataHeader.LENGTH]);
        DataHeader written = new DataHeader().wrap(segment)
            .type(type).version(version).epoch(epoch).receiverIndex(receiverIndex).counter(counter);

        DataHeader read = new DataHeader().wrap(MemorySegment.ofArray(segment.toArray(ValueLayout.JAVA_BYTE)));
        assertSame(segment, written.segment());
        assertEquals(type, read.type());
        assertEquals(version, read.version());
        assertEquals(epoch, read.epoch());
        assertEquals(receiverIndex, read.receiverIndex());
        assertEquals(counter, read.counter());
    }

    @Property
    void anySixteenBytesParseAsTheirBigEndianFieldsAndWriteBackIdentically(
            @ForAll @Size(min = 16, max = 40) byte[] bytes) {
        DataHeader header = new DataHeader().wrap(MemorySegment.ofArray(bytes));

        assertEquals(bytes[0] & 0xff, header.type());
        assertEquals(bytes[1] & 0xff, header.version());
        assertEquals((bytes[2] & 0xff) << 8 | bytes[3] & 0xff, header.epoch());
        assertEquals(bigEndian(bytes, 4, 4), header.receiverIndex() & 0xffff_ffffL);
        assertEquals(bigEndian(bytes, 8, 8), header.counter());

        byte[] copy = new byte[bytes.length];
        System.arraycopy(bytes, DataHeader.LENGTH, copy, DataHeader.LENGTH, bytes.length - DataHeader.LENGTH);
        new DataHeader().wrap(MemorySegment.ofArray(copy)).type(header.type()).version(header.version())
            .epoch(header.epoch()).receiverIndex(header.receiverIndex()).counter(header.counter());
        assertArrayEquals(bytes, copy);
    }

    private static long bigEndian(byte[] bytes, int offset, int length) {
        long value = 0;
        for (int i = 0; i < length; i++) {
            value = value << 8 | bytes[offset + i] & 0xff;
        }
        return value;
    }

    @Example
    void fieldsSitAtTheSpecifiedOffsets() {
        byte[] bytes = new byte[DataHeader.LENGTH];
        new DataHeader().wrap(MemorySegment.ofArray(bytes))
            .type(4).version(1).epoch(0x0102).receiverIndex(0x0304_0506).counter(0x0708_090a_0b0c_0d0eL);

        assertArrayEquals(new byte[] {4, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}, bytes);
    }

    @Property
    void refusesValuesThatDoNotFitTheirField(@ForAll int value) {
        DataHeader header = new DataHeader().wrap(MemorySegment.ofArray(new byte[DataHeader.LENGTH]));
        boolean u8 = value >= 0 && value <= 255;
        boolean u16 = value >= 0 && value <= 65_535;
        if (!u8) {
            assertThrows(IllegalArgumentException.class, () -> header.type(value));
            assertThrows(IllegalArgumentException.class, () -> header.version(value));
        }
        if (!u16) {
            assertThrows(IllegalArgumentException.class, () -> header.epoch(value));
        }
        assertTrue(u8 || header.type() == 0 && header.version() == 0, "a refused value was written");
        assertTrue(u16 || header.epoch() == 0, "a refused epoch was written");
    }

    @Example
    void refusesASegmentShorterThanTheHeader() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new DataHeader().wrap(MemorySegment.ofArray(new byte[DataHeader.LENGTH - 1])));
        assertTrue(e.getMessage().contains("16 bytes"), e.getMessage());
    }
}
