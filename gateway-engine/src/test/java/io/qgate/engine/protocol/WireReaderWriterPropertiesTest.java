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
    /** One field of a message: how it is written and read back. */
    sealed interface Field {
        void write(WireWriter out);

        /** Reads the field and fails unless it is this one. */
        void readAndCheck(WireReader in) throws ProtocolException;

        /** Reads a field of this kind, whatever its value. */
        void read(WireReader in) throws ProtocolException;
    }

    record U8(int value) implements Field {
        public void write(WireWriter out) {
            out.u8(value);
        }

        public void readAndCheck(WireReader in) throws ProtocolException {
            assertEquals(value, in.u8("u8"));
        }

        public void read(WireReader in) throws ProtocolException {
            in.u8("u8");
        }
    }

    record U16(int value) implements Field {
        public void write(WireWriter out) {
            out.u16(value);
        }

        public void readAndCheck(WireReader in) throws ProtocolException {
            assertEquals(value, in.u16("u16"));
        }

        public void read(WireReader in) throws ProtocolException {
            in.u16("u16");
        }
    }

    record U32(int value) implements Field {
        public void write(WireWriter out) {
            out.u32(value);
        }

        public void readAndCheck(WireReader in) throws ProtocolException {
            assertEquals(value, in.u32("u32"));
        }

        public void read(WireReader in) throws ProtocolException {
            in.u32("u32");
        }
    }

    record U64(long value) implements Field {
        public void write(WireWriter out) {
            out.u64(value);
        }

        public void readAndCheck(WireReader in) throws ProtocolException {
            assertEquals(value, in.u64("u64"));
        }

        public void read(WireReader in) throws ProtocolException {
            in.u64("u64");
        }
    }

    record Bytes(byte[] value) implements Field {
        public void write(WireWriter out) {
            out.bytes(value);
        }

        public void readAndCheck(WireReader in) throws ProtocolException {
            assertArrayEquals(value, in.bytes(value.length, "bytes"));
        }

        public void read(WireReader in) throws ProtocolException {
            in.bytes(value.length, "bytes");
        }
    }

    record U16Prefixed(byte[] value) implements Field {
        public void write(WireWriter out) {
            out.u16Prefixed(value);
        }

        public void readAndCheck(WireReader in) throws ProtocolException {
            assertArrayEquals(value, in.u16Prefixed(0, 0xFFFF, "u16-prefixed"));
        }

        public void read(WireReader in) throws ProtocolException {
            in.u16Prefixed(0, 0xFFFF, "u16-prefixed");
        }
    }

    record U32Prefixed(byte[] value) implements Field {
        public void write(WireWriter out) {
            out.u32Prefixed(value);
        }

        public void readAndCheck(WireReader in) throws ProtocolException {
            assertArrayEquals(value, in.u32Prefixed(0, Protocol.MAX_HANDSHAKE_MESSAGE, "u32-prefixed"));
        }

        public void read(WireReader in) throws ProtocolException {
            in.u32Prefixed(0, Protocol.MAX_HANDSHAKE_MESSAGE, "u32-prefixed");
        }
    }

    @Property
    void everyWrittenFieldReadsBack(@ForAll("messages") List<Field> fields) throws ProtocolException {
        byte[] encoded = write(fields);
        WireReader in = new WireReader(encoded);
        for (Field field : fields) {
            field.readAndCheck(in);
        }
        in.end("message");
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
        in.end("message");
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
        in.end("message");
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
            Arbitraries.integers().between(0, 0xFF).map(U8::new),
            Arbitraries.integers().between(0, 0xFFFF).map(U16::new),
            Arbitraries.integers().map(U32::new),
            Arbitraries.longs().map(U64::new),
            blobs.map(Bytes::new),
            blobs.map(U16Prefixed::new),
            blobs.map(U32Prefixed::new));
        return field.list().ofMaxSize(12);
    }
}
