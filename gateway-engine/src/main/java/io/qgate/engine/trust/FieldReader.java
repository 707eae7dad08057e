package io.qgate.engine.trust;

import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.engine.protocol.ErrorCode;
import io.qgate.engine.protocol.ProtocolException;
import io.qgate.engine.protocol.SignatureAlgorithmId;
import java.util.Arrays;

/**
 * Reads big-endian fields from a byte array, checking every length against what remains before
 * using it, so that a short or hostile input ends in a {@link ProtocolException} carrying the
 * caller's error code and naming the object and field, never in an index exception.
 *
 * <p>Not thread-safe: one parser owns it.
 */
final class FieldReader {
    private final byte[] input;
    private final ErrorCode error;
    private final String object;
    private int position;

    /**
     * @param object what is being read, for messages ("certificate")
     */
    FieldReader(byte[] input, ErrorCode error, String object) {
        this.input = input;
        this.error = error;
        this.object = object;
    }

    int position() {
        return position;
    }

    int u8(String field) throws ProtocolException {
        return (int) unsigned(1, field);
    }

    int u16(String field) throws ProtocolException {
        return (int) unsigned(2, field);
    }

    /** A u32, as a long because it may exceed {@link Integer#MAX_VALUE}. */
    long u32(String field) throws ProtocolException {
        return unsigned(4, field);
    }

    /** A u64 that must be below 2^63, so a Java long holds it (section 3). */
    long u63(String field) throws ProtocolException {
        long value = unsigned(8, field);
        if (value < 0) {
            throw fail("its " + field + " is 2^63 or more");
        }
        return value;
    }

    byte[] bytes(int length, String field) throws ProtocolException {
        need(length, field);
        byte[] value = Arrays.copyOfRange(input, position, position + length);
        position += length;
        return value;
    }

    /** A one-byte signature algorithm id (section 2). */
    SignatureAlgorithm signatureAlgorithm(String field) throws ProtocolException {
        int id = u8(field);
        SignatureAlgorithm algorithm = SignatureAlgorithmId.fromId(id);
        if (algorithm == null) {
            throw fail("its " + field + " " + id + " is not a signature algorithm id (1 to 7)");
        }
        return algorithm;
    }

    /** A u16-length-prefixed signature whose length {@code algorithm} can produce (Falcon: 1 to the maximum). */
    byte[] signature(SignatureAlgorithm algorithm) throws ProtocolException {
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

    /** Fails unless the whole input was read. */
    void end() throws ProtocolException {
        if (position != input.length) {
            throw fail("it has " + (input.length - position) + " trailing bytes");
        }
    }

    /** The exception for a field that is present but out of range: "the certificate is malformed: " + reason. */
    ProtocolException fail(String reason) {
        return new ProtocolException(error, "the " + object + " is malformed: " + reason);
    }

    /** The next {@code length} bytes (at most 8) as a big-endian number. */
    private long unsigned(int length, String field) throws ProtocolException {
        need(length, field);
        long value = 0;
        for (int i = 0; i < length; i++) {
            value = value << 8 | input[position++] & 0xFF;
        }
        return value;
    }

    private void need(int length, String field) throws ProtocolException {
        if (input.length - position < length) {
            throw fail("it ends inside its " + field + " (" + (input.length - position) + " of " + length + " bytes left)");
        }
    }
}
