package io.qgate.engine.protocol;

import java.util.Arrays;

/**
 * A bounded big-endian reader over one message body. Every read checks the remaining length
 * first and fails with {@link ProtocolException} ({@link ErrorCode#MALFORMED_MESSAGE}) naming the
 * field, so a parser built on it cannot run past its input.
 */
public final class WireReader {
    private final byte[] input;
    private final int end;
    private int position;

    public WireReader(byte[] input) {
        this(input, 0, input.length);
    }

    public WireReader(byte[] input, int offset, int length) {
        if (offset < 0 || length < 0 || offset > input.length - length) {
            throw new IllegalArgumentException("range outside the input");
        }
        this.input = input;
        this.position = offset;
        this.end = offset + length;
    }

    public int remaining() {
        return end - position;
    }

    public int position() {
        return position;
    }

    public int u8(String field) throws ProtocolException {
        need(1, field);
        return input[position++] & 0xFF;
    }

    public int u16(String field) throws ProtocolException {
        need(2, field);
        int value = ((input[position] & 0xFF) << 8) | (input[position + 1] & 0xFF);
        position += 2;
        return value;
    }

    public int u32(String field) throws ProtocolException {
        need(4, field);
        int value = ((input[position] & 0xFF) << 24) | ((input[position + 1] & 0xFF) << 16)
                | ((input[position + 2] & 0xFF) << 8) | (input[position + 3] & 0xFF);
        position += 4;
        return value;
    }

    public long u64(String field) throws ProtocolException {
        long high = u32(field) & 0xFFFF_FFFFL;
        long low = u32(field) & 0xFFFF_FFFFL;
        return (high << 32) | low;
    }

    public byte[] bytes(int length, String field) throws ProtocolException {
        need(length, field);
        byte[] out = Arrays.copyOfRange(input, position, position + length);
        position += length;
        return out;
    }

    /** A u16 length followed by that many bytes, the length within {@code [min, max]}. */
    public byte[] u16Prefixed(int min, int max, String field) throws ProtocolException {
        int length = u16(field + " length");
        checkRange(length, min, max, field + " length");
        return bytes(length, field);
    }

    /** A u32 length followed by that many bytes, the length within {@code [min, max]}. */
    public byte[] u32Prefixed(int min, int max, String field) throws ProtocolException {
        long length = u32(field + " length") & 0xFFFF_FFFFL;
        if (length < min || length > max) {
            throw malformed(field + " length " + length + " is outside " + min + ".." + max);
        }
        return bytes((int) length, field);
    }

    /** Fails unless every byte has been read. */
    public void end(String message) throws ProtocolException {
        if (position != end) {
            throw malformed(message + " has " + (end - position) + " trailing bytes");
        }
    }

    public static void checkRange(long value, long min, long max, String field) throws ProtocolException {
        if (value < min || value > max) {
            throw malformed(field + " " + value + " is outside " + min + ".." + max);
        }
    }

    public static ProtocolException malformed(String why) {
        return new ProtocolException(ErrorCode.MALFORMED_MESSAGE, why);
    }

    private void need(int length, String field) throws ProtocolException {
        if (length < 0 || length > end - position) {
            throw malformed(field + " needs " + length + " bytes but " + (end - position) + " remain");
        }
    }
}
