package io.qgate.engine.protocol;

import io.qgate.crypto.sig.SignatureAlgorithm;
import java.util.Arrays;

/**
 * A bounded big-endian reader over one encoded object: a message body, a certificate, a
 * revocation list, a private key. Every read checks the remaining length first and fails with a
 * {@link ProtocolException} carrying the reader's {@link ErrorCode} and reading "the
 * <i>object</i> is malformed: " and the reason naming the field, so a parser built on it cannot
 * run past its input.
 *
 * <p>Not thread-safe: one parser owns it.
 */
public final class WireReader {
    private final byte[] input;
    private final int end;
    private final ErrorCode error;
    private final String object;
    private int position;

    /** A reader over a message; failures are {@link ErrorCode#MALFORMED_MESSAGE}. */
    public WireReader(byte[] input) {
        this(input, 0, input.length);
    }

    /** A reader over part of a message; failures are {@link ErrorCode#MALFORMED_MESSAGE}. */
    public WireReader(byte[] input, int offset, int length) {
        this(input, offset, length, ErrorCode.MALFORMED_MESSAGE, "message");
    }

    /**
     * @param error the code every failure carries
     * @param object what is being read, for messages ("certificate")
     */
    public WireReader(byte[] input, ErrorCode error, String object) {
        this(input, 0, input.length, error, object);
    }

    private WireReader(byte[] input, int offset, int length, ErrorCode error, String object) {
        if (offset < 0 || length < 0 || offset > input.length - length) {
            throw new IllegalArgumentException("range outside the input");
        }
        this.input = input;
        this.position = offset;
        this.end = offset + length;
        this.error = error;
        this.object = object;
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

    /** A u64 that must be below 2^63, so a Java long holds it (section 3). */
    public long u63(String field) throws ProtocolException {
        long value = u64(field);
        if (value < 0) {
            throw fail("its " + field + " is 2^63 or more");
        }
        return value;
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
        if (length < min || length > max) {
            throw fail("its " + field + " length " + length + " is outside " + min + ".." + max);
        }
        return bytes(length, field);
    }

    /** A u32 length followed by that many bytes, the length within {@code [min, max]}. */
    public byte[] u32Prefixed(int min, int max, String field) throws ProtocolException {
        long length = u32(field + " length") & 0xFFFF_FFFFL;
        if (length < min || length > max) {
            throw fail("its " + field + " length " + length + " is outside " + min + ".." + max);
        }
        return bytes((int) length, field);
    }

    /** A one-byte signature algorithm id (section 2). */
    public SignatureAlgorithm signatureAlgorithm(String field) throws ProtocolException {
        int id = u8(field);
        SignatureAlgorithm algorithm = SignatureAlgorithmId.fromId(id);
        if (algorithm == null) {
            throw fail("its " + field + " " + id + " is not a signature algorithm id (1 to 7)");
        }
        return algorithm;
    }

    /** A u16-length-prefixed signature whose length {@code algorithm} can produce (Falcon: 1 to the maximum). */
    public byte[] signature(SignatureAlgorithm algorithm) throws ProtocolException {
        int length = u16("signature length");
        boolean fits = algorithm.hasFixedSignatureLength()
            ? length == algorithm.signatureLength()
            : length >= 1 && length <= algorithm.signatureLength();
        if (!fits) {
            throw fail("its " + algorithm.id() + " signature is " + length + " bytes, not "
                + (algorithm.hasFixedSignatureLength() ? "" : "1 to ") + algorithm.signatureLength());
        }
        return bytes(length, "signature");
    }

    /** Fails unless every byte has been read. */
    public void end() throws ProtocolException {
        if (position != end) {
            throw fail("it has " + (end - position) + " trailing bytes");
        }
    }

    /** The exception for a field that is present but out of range: "the certificate is malformed: " + reason. */
    public ProtocolException fail(String reason) {
        return new ProtocolException(error, "the " + object + " is malformed: " + reason);
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
            throw fail("it ends inside its " + field + " (" + (end - position) + " of " + length + " bytes left)");
        }
    }
}
