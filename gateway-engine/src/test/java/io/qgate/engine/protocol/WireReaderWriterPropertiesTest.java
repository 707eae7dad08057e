package io.qgate.engine.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of {@link WireWriter} and {@link WireReader}: any sequence of fields written reads
 * back field by field, at any offset of a larger array; a cut or extended encoding is refused;
 * and reading arbitrary bytes as any sequence of fields only ever fails with
 * {@link ProtocolException} {@code MALFORMED_MESSAGE}.
 */
class WireReaderWriterPropertiesTest {
    /** The kinds of field {@link WireWriter} writes and {@link WireReader} reads. */
    enum Kind { U8, U16, U32, U64, BYTES, U16_PREFIXED, U32_PREFIXED }

    /**
     * One field of a message.
     *
     * @param number the value of a {@code U*} field
     * @param blob the value of a byte field (also what {@link #read} asks for: its length)
     */
    record Field(Kind kind, long number, byte[] blob) {
        static Field number(Kind kind, long number) {
            return new Field(kind, number, null);
        }

        static Field blob(Kind kind, byte[] blob) {
            return new Field(kind, 0, blob);
        }

        void write(WireWriter out) {
            switch (kind) {
                case U8 -> out.u8((int) number);
                case U16 -> out.u16((int) number);
                case U32 -> out.u32((int) number);
                case U64 -> out.u64(number);
                case BYTES -> out.bytes(blob);
                case U16_PREFIXED -> out.u16Prefixed(blob);
                case U32_PREFIXED -> out.u32Prefixed(blob);
            }
        }

        /** Reads a field of this kind (a byte field of this length), whatever its value. */
        Object read(WireReader in) throws ProtocolException {
            String name = kind.name();
            return switch (kind) {
                case U8 -> (long) in.u8(name);
                case U16 -> (long) in.u16(name);
                case U32 -> in.u32(name) & 0xFFFF_FFFFL;
                case U64 -> in.u64(name);
                case BYTES -> in.bytes(blob.length, name);
                case U16_PREFIXED -> in.u16Prefixed(0, 0xFFFF, name);
                case U32_PREFIXED -> in.u32Prefixed(0, Protocol.MAX_HANDSHAKE_MESSAGE, name);
            };
        }

        /** Reads the field and fails unless it is this one. */
        void readAndCheck(WireReader in) throws ProtocolException {
            Object value = read(in);
            if (blob != null) {
                assertArrayEquals(blob, (byte[]) value);
            } else {
                assertEquals(number, (long) value);
            }
        }
    }

    @Property
    void everyWrittenFieldReadsBack(@ForAll("messages") List<Field> fields) throws ProtocolException {
        byte[] encoded = write(fields);
        WireReader in = new WireReader(encoded);
        for (Field field : fields) {
            field.readAndCheck(in);
        }
        in.end();
        assertEquals(0, in.remaining());
    }

    @Property
    void fieldsReadBackAtAnyOffsetOfALargerArray(@ForAll("messages") List<Field> fields,
            @ForAll @Size(max = 20) byte[] before, @ForAll @Size(max = 20) byte[] after) throws ProtocolException {
        byte[] encoded = write(fields);
        byte[] larger = new byte[before.length + encoded.length + after.length];
        System.arraycopy(before, 0, larger, 0, before.length);
        System.arraycopy(encoded, 0, larger, before.length, encoded.length);
        System.arraycopy(after, 0, larger, before.length + encoded.length, after.length);
        WireReader in = new WireReader(larger, before.length, encoded.length);
        for (Field field : fields) {
            field.readAndCheck(in);
        }
        in.end();
        assertEquals(before.length + encoded.length, in.position());
    }

    @Property
    void aCutMessageIsRefused(@ForAll("messages") List<Field> fields, @ForAll int cut) {
        byte[] encoded = write(fields);
        if (encoded.length == 0) {
            return;
        }
        CodecProperties.assertTruncationRefused(bytes -> readAll(fields, bytes), encoded, cut);
    }

    @Property
    void anExtendedMessageIsRefused(@ForAll("messages") List<Field> fields, @ForAll @Size(min = 1, max = 20) byte[] extra) {
        CodecProperties.assertExtensionRefused(bytes -> readAll(fields, bytes), write(fields), extra);
    }

    @Property
    void arbitraryBytesReadAsAnyFieldsFailOnlyAsMalformed(@ForAll("messages") List<Field> fields,
            @ForAll @Size(max = 300) byte[] bytes) {
        try {
            readAll(fields, bytes);
        } catch (ProtocolException refused) {
            assertEquals(ErrorCode.MALFORMED_MESSAGE, refused.error());
        }
    }

    @Property
    void aNegativeOrOversizedLengthIsRefused(@ForAll @Size(max = 50) byte[] bytes,
            @ForAll @IntRange(min = Integer.MIN_VALUE, max = -1) int negative) {
        WireReader in = new WireReader(bytes);
        assertEquals(ErrorCode.MALFORMED_MESSAGE,
            assertThrows(ProtocolException.class, () -> in.bytes(negative, "field")).error());
        assertEquals(ErrorCode.MALFORMED_MESSAGE,
            assertThrows(ProtocolException.class, () -> in.bytes(bytes.length + 1, "field")).error());
        assertEquals(0, in.position(), "a refused read consumed input");
    }

    @Property
    void aRangeOutsideTheArrayIsACallerBug(@ForAll @Size(max = 20) byte[] bytes, @ForAll int offset, @ForAll int length) {
        boolean inside = offset >= 0 && length >= 0 && offset <= bytes.length - length;
        if (!inside) {
            assertThrows(IllegalArgumentException.class, () -> new WireReader(bytes, offset, length));
        }
    }

    @Property
    void aU16OutOfRangeIsNotWritten(@ForAll int value) {
        if (value < 0 || value > 0xFFFF) {
            WireWriter out = new WireWriter(0);
            assertThrows(IllegalArgumentException.class, () -> out.u16(value));
            assertEquals(0, out.length());
        }
    }

    private static Object readAll(List<Field> fields, byte[] bytes) throws ProtocolException {
        WireReader in = new WireReader(bytes);
        for (Field field : fields) {
            field.read(in);
        }
        in.end();
        return bytes;
    }

    private static byte[] write(List<Field> fields) {
        WireWriter out = new WireWriter(0);
        for (Field field : fields) {
            field.write(out);
        }
        byte[] encoded = out.toByteArray();
        assertEquals(out.length(), encoded.length);
        return encoded;
    }

    @Provide
    static Arbitrary<List<Field>> messages() {
        Arbitrary<byte[]> blobs = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<Field> field = Arbitraries.oneOf(
            Arbitraries.integers().between(0, 0xFF).map(value -> Field.number(Kind.U8, value)),
            Arbitraries.integers().between(0, 0xFFFF).map(value -> Field.number(Kind.U16, value)),
            Arbitraries.longs().between(0, 0xFFFF_FFFFL).map(value -> Field.number(Kind.U32, value)),
            Arbitraries.longs().map(value -> Field.number(Kind.U64, value)),
            Arbitraries.of(Kind.BYTES, Kind.U16_PREFIXED, Kind.U32_PREFIXED).flatMap(kind -> blobs.map(
                blob -> Field.blob(kind, blob))));
        return field.list().ofMaxSize(12);
    }
}
