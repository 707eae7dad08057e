package io.qgate.engine.protocol;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The body of an {@code INITIATION} message (section 5.2 of {@code docs/PROTOCOL.md}).
 *
 * @param cookie 16 bytes: zero, or the cookie a {@code COOKIE_REPLY} gave
 * @param timestampMillis the initiator's Unix time in milliseconds
 * @param random 32 fresh random bytes
 * @param flags bit 0: the initiator will authenticate
 * @param chosenSuite the suite of {@code ephemeralKey}
 * @param offeredSuites the suite ids the initiator offers, preferred first; may include ids this
 *     build does not know (a newer peer), which are ignored when choosing
 * @param ephemeralKey a fresh KEM public key of {@code chosenSuite}
 * @param paddingLength how many zero bytes pad the message (amplification, section 7)
 */
public record Initiation(byte[] cookie, long timestampMillis, byte[] random, int flags, Suite chosenSuite,
        byte[] offeredSuites, byte[] ephemeralKey, int paddingLength) {

    /** Flag bit 0: the initiator will present a certificate in its CONFIRM. */
    public static final int FLAG_MUTUAL = 1;

    /** Body bytes besides the offered suites, the key and the padding. */
    public static final int FIXED_LENGTH = Protocol.COOKIE_LENGTH + 8 + Protocol.RANDOM_LENGTH + 1 + 1 + 1 + 2 + 2;

    public Initiation {
        if (cookie.length != Protocol.COOKIE_LENGTH || random.length != Protocol.RANDOM_LENGTH) {
            throw new IllegalArgumentException("cookie must be 16 bytes and random 32");
        }
        if ((flags & ~FLAG_MUTUAL) != 0) {
            throw new IllegalArgumentException("unknown flags " + flags);
        }
        if (offeredSuites.length < 1 || offeredSuites.length > Protocol.MAX_OFFERED_SUITES) {
            throw new IllegalArgumentException("1 to 16 suites must be offered");
        }
        if (ephemeralKey.length != chosenSuite.kem().publicKeyLength()) {
            throw new IllegalArgumentException("ephemeral key length does not match " + chosenSuite);
        }
        if (paddingLength < 0 || paddingLength > 0xFFFF) {
            throw new IllegalArgumentException("padding length out of range");
        }
        cookie = cookie.clone();
        random = random.clone();
        offeredSuites = offeredSuites.clone();
        ephemeralKey = ephemeralKey.clone();
    }

    /** Whether the initiator will authenticate with a certificate. */
    public boolean mutual() {
        return (flags & FLAG_MUTUAL) != 0;
    }

    /** The offered suite ids as a fresh array. */
    @Override
    public byte[] offeredSuites() {
        return offeredSuites.clone();
    }

    @Override
    public byte[] cookie() {
        return cookie.clone();
    }

    @Override
    public byte[] random() {
        return random.clone();
    }

    @Override
    public byte[] ephemeralKey() {
        return ephemeralKey.clone();
    }

    /** Whether {@code suite} is among the offered ids. */
    public boolean offers(Suite suite) {
        for (byte id : offeredSuites) {
            if ((id & 0xFF) == suite.id()) {
                return true;
            }
        }
        return false;
    }

    /** The body length without padding. */
    public static int unpaddedLength(Suite suite, int offeredCount) {
        return FIXED_LENGTH + offeredCount + suite.kem().publicKeyLength();
    }

    /** This initiation with another cookie (a retry after a {@code COOKIE_REPLY}). */
    public Initiation withCookie(byte[] newCookie) {
        return new Initiation(newCookie, timestampMillis, random, flags, chosenSuite, offeredSuites, ephemeralKey,
                paddingLength);
    }

    public byte[] encode() {
        WireWriter out = new WireWriter(unpaddedLength(chosenSuite, offeredSuites.length) + paddingLength);
        out.bytes(cookie).u64(timestampMillis).bytes(random).u8(flags).u8(chosenSuite.id())
                .u8(offeredSuites.length).bytes(offeredSuites)
                .u16Prefixed(ephemeralKey)
                .u16(paddingLength).zeros(paddingLength);
        return out.toByteArray();
    }

    /**
     * Parses an initiation body.
     *
     * @throws ProtocolException {@code MALFORMED_MESSAGE} for any field out of range, a length that
     *     does not fit, non-zero padding or trailing bytes; {@code UNSUPPORTED_SUITE} if the chosen
     *     suite is unknown to this build
     */
    public static Initiation parse(byte[] body) throws ProtocolException {
        WireReader in = new WireReader(body, ErrorCode.MALFORMED_MESSAGE, "initiation");
        byte[] cookie = in.bytes(Protocol.COOKIE_LENGTH, "cookie");
        long timestamp = in.u64("timestamp");
        byte[] random = in.bytes(Protocol.RANDOM_LENGTH, "initiator random");
        int flags = in.u8("flags");
        if ((flags & ~FLAG_MUTUAL) != 0) {
            throw WireReader.malformed("initiation flags " + flags + " has unknown bits");
        }
        int chosenId = in.u8("chosen suite");
        int count = in.u8("offered suite count");
        WireReader.checkRange(count, 1, Protocol.MAX_OFFERED_SUITES, "offered suite count");
        byte[] offered = in.bytes(count, "offered suites");
        boolean chosenOffered = false;
        for (int i = 0; i < count; i++) {
            chosenOffered |= (offered[i] & 0xFF) == chosenId;
            for (int j = 0; j < i; j++) {
                if (offered[i] == offered[j]) {
                    throw WireReader.malformed("suite " + (offered[i] & 0xFF) + " is offered twice");
                }
            }
        }
        if (!chosenOffered) {
            throw WireReader.malformed("chosen suite " + chosenId + " is not among the offered");
        }
        Suite chosen = Suite.fromId(chosenId);
        int keyLength = in.u16("ephemeral key length");
        if (chosen == null) {
            throw new ProtocolException(ErrorCode.UNSUPPORTED_SUITE, "chosen suite " + chosenId + " is unknown");
        }
        if (keyLength != chosen.kem().publicKeyLength()) {
            throw WireReader.malformed("ephemeral key length " + keyLength + " does not match " + chosen);
        }
        byte[] key = in.bytes(keyLength, "ephemeral key");
        int padding = in.u16("padding length");
        byte[] pad = in.bytes(padding, "padding");
        for (byte b : pad) {
            if (b != 0) {
                throw WireReader.malformed("padding is not all zero");
            }
        }
        in.end();
        return new Initiation(cookie, timestamp, random, flags, chosen, offered, key, padding);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Initiation that && Arrays.equals(encode(), that.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(random);
    }

    @Override
    public String toString() {
        return "Initiation[suite=" + chosenSuite + ", offered=" + HexFormat.of().formatHex(offeredSuites)
                + ", mutual=" + mutual() + ", timestamp=" + timestampMillis + ", padding=" + paddingLength + "]";
    }
}
