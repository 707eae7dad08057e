package io.qgate.engine.trust;

import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.engine.protocol.ErrorCode;
import io.qgate.engine.protocol.ProtocolException;
import io.qgate.engine.protocol.SignatureAlgorithmId;
import io.qgate.engine.protocol.WireReader;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A root's signed list of revoked certificate serials (section 3.2 of {@code docs/PROTOCOL.md}).
 * Parsing checks the format only; {@link TrustStore#install} checks the signature and sequence.
 *
 * <p>Immutable and thread-safe; every array accessor returns a copy.
 */
public final class RevocationList {
    /** The only format this build reads and writes. */
    public static final int FORMAT = 1;
    public static final int MAX_COUNT = 65_536;

    private static final int SERIAL = Certificate.SERIAL_LENGTH;
    private static final int HEADER_LENGTH = 2 + Certificate.ID_LENGTH + 8 + 8 + 8 + 4;

    private final byte[] encoded;
    private final int tbsLength;
    private final SignatureAlgorithm issuerAlgorithm;
    private final byte[] issuerKeyId;
    private final long sequence;
    private final long thisUpdate;
    private final long nextUpdate;
    /** The serials back to back, ascending. */
    private final byte[] serials;
    private final byte[] signature;

    private RevocationList(byte[] encoded, int tbsLength, SignatureAlgorithm issuerAlgorithm, byte[] issuerKeyId,
                           long sequence, long thisUpdate, long nextUpdate, byte[] serials, byte[] signature) {
        this.encoded = encoded;
        this.tbsLength = tbsLength;
        this.issuerAlgorithm = issuerAlgorithm;
        this.issuerKeyId = issuerKeyId;
        this.sequence = sequence;
        this.thisUpdate = thisUpdate;
        this.nextUpdate = nextUpdate;
        this.serials = serials;
        this.signature = signature;
    }

    /**
     * Parses an encoded revocation list.
     *
     * @throws ProtocolException {@link ErrorCode#MALFORMED_MESSAGE} naming the first rule broken
     */
    public static RevocationList parse(byte[] encoded) throws ProtocolException {
        byte[] copy = encoded.clone();
        WireReader in = new WireReader(copy, ErrorCode.MALFORMED_MESSAGE, "revocation list");
        int format = in.u8("format");
        if (format != FORMAT) {
            throw in.fail("its format is " + format + ", not " + FORMAT);
        }
        SignatureAlgorithm issuerAlgorithm = in.signatureAlgorithm("issuer algorithm");
        byte[] issuerKeyId = in.bytes(Certificate.ID_LENGTH, "issuer key id");
        long sequence = in.u63("sequence");
        long thisUpdate = in.u63("this_update");
        long nextUpdate = in.u63("next_update");
        if (nextUpdate <= thisUpdate) {
            throw in.fail("its next_update " + nextUpdate + " is not after its this_update " + thisUpdate);
        }
        long count = Integer.toUnsignedLong(in.u32("count"));
        if (count > MAX_COUNT) {
            throw in.fail("it lists " + count + " serials, more than " + MAX_COUNT);
        }
        byte[] serials = in.bytes((int) count * SERIAL, "serials");
        for (int i = SERIAL; i < serials.length; i += SERIAL) {
            if (Arrays.compareUnsigned(serials, i - SERIAL, i, serials, i, i + SERIAL) >= 0) {
                throw in.fail("its serials are not strictly ascending at entry " + i / SERIAL);
            }
        }
        int tbsLength = in.position();
        byte[] signature = in.signature(issuerAlgorithm);
        in.end();
        return new RevocationList(copy, tbsLength, issuerAlgorithm, issuerKeyId, sequence, thisUpdate, nextUpdate, serials, signature);
    }

    /**
     * The bytes a root signs for a list with these fields; {@code sortedSerials} are the serials
     * back to back, already strictly ascending.
     */
    static byte[] encodeTbs(SignatureAlgorithm issuerAlgorithm, byte[] issuerKeyId, long sequence, long thisUpdate,
                            long nextUpdate, byte[] sortedSerials) {
        return ByteBuffer.allocate(HEADER_LENGTH + sortedSerials.length)
            .put((byte) FORMAT).put((byte) SignatureAlgorithmId.of(issuerAlgorithm)).put(issuerKeyId)
            .putLong(sequence).putLong(thisUpdate).putLong(nextUpdate)
            .putInt(sortedSerials.length / SERIAL).put(sortedSerials).array();
    }

    /** Appends {@code signature} to {@code tbs} and parses the result. */
    static RevocationList assemble(byte[] tbs, byte[] signature) throws ProtocolException {
        return parse(TrustSignatures.append(tbs, signature));
    }

    /** Whether {@code serial} is listed; a binary search, O(log count). */
    public boolean isRevoked(byte[] serial) {
        if (serial.length != SERIAL) {
            return false;
        }
        int low = 0;
        int high = serials.length / SERIAL - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int from = middle * SERIAL;
            int order = Arrays.compareUnsigned(serials, from, from + SERIAL, serial, 0, SERIAL);
            if (order < 0) {
                low = middle + 1;
            } else if (order > 0) {
                high = middle - 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** Whether the list is past its {@code next_update} at {@code now} (Unix seconds). */
    public boolean isExpiredAt(long now) {
        return now >= nextUpdate;
    }

    /** A copy of the whole encoding. */
    public byte[] encoded() {
        return encoded.clone();
    }

    /** A copy of the signed part: everything before the signature length. */
    public byte[] tbs() {
        return Arrays.copyOf(encoded, tbsLength);
    }

    public SignatureAlgorithm issuerAlgorithm() {
        return issuerAlgorithm;
    }

    /** The key id of the root that signs this list. */
    public byte[] issuerKeyId() {
        return issuerKeyId.clone();
    }

    public long sequence() {
        return sequence;
    }

    /** When the list was made, Unix seconds. */
    public long thisUpdate() {
        return thisUpdate;
    }

    /** When the list expires, Unix seconds: it is expired from this second on. */
    public long nextUpdate() {
        return nextUpdate;
    }

    /** How many serials are listed. */
    public int count() {
        return serials.length / SERIAL;
    }

    /** A copy of the {@code index}-th serial in ascending order. */
    public byte[] serial(int index) {
        if (index < 0 || index >= count()) {
            throw new IndexOutOfBoundsException("serial " + index + " of a list of " + count());
        }
        return Arrays.copyOfRange(serials, index * SERIAL, (index + 1) * SERIAL);
    }

    public byte[] signature() {
        return signature.clone();
    }

    byte[] issuerKeyIdView() {
        return issuerKeyId;
    }

    byte[] signatureView() {
        return signature;
    }

    /** Two lists are equal when their encodings are. */
    @Override
    public boolean equals(Object other) {
        return other instanceof RevocationList r && Arrays.equals(encoded, r.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "RevocationList[issuer " + HexFormat.of().formatHex(issuerKeyId, 0, 8) + ", sequence " + sequence + ", "
            + count() + " serials, " + Certificate.time(thisUpdate) + " to " + Certificate.time(nextUpdate) + "]";
    }
}
