package io.qgate.crypto.kdf;

import io.qgate.crypto.ConstantTime;
import io.qgate.crypto.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.security.auth.Destroyable;
import org.bouncycastle.crypto.digests.CSHAKEDigest;

/**
 * KMAC256(K, X, L, S) of NIST SP 800-185, section 4: the MAC qgate uses for key confirmation.
 * The output length {@code L} is bound into the tag, so a shorter tag is not a prefix of a
 * longer one.
 *
 * <p>Built as the standard defines it, cSHAKE256 with {@code N = "KMAC"} over
 * {@code bytepad(encode_string(K), 136) || X || right_encode(L)}, on Bouncy Castle's
 * {@code CSHAKEDigest}. Bouncy Castle's own {@code KMAC} class keeps a private copy of the key
 * that cannot be wiped; this construction keeps only sponge state, which {@link #destroy()}
 * zeroes. Tests check it against NIST's samples and against Bouncy Castle's {@code KMAC}.
 *
 * <p>Keys are at least 32 bytes (the 256-bit security strength, SP 800-185 section 8.4.1) and
 * tags at least 16 bytes. An instance is keyed once and reused per message (the absorbed key
 * block is kept, saving a permutation per tag); it is not thread-safe.
 */
public final class Kmac256 implements Destroyable, AutoCloseable {
    /** Shortest key accepted, in bytes. */
    public static final int MIN_KEY_LENGTH = 32;
    /** Shortest tag or output accepted, in bytes. */
    public static final int MIN_OUTPUT_LENGTH = 16;
    /** Longest output one call may request, in bytes (1 MiB). */
    public static final int MAX_OUTPUT_LENGTH = Inputs.MAX_XOF_OUTPUT;

    private static final String NAME = "KMAC256";
    private static final byte[] FUNCTION_NAME = "KMAC".getBytes(StandardCharsets.US_ASCII);

    private final CSHAKEDigest keyed;
    private final CSHAKEDigest working;
    private boolean destroyed;

    private Kmac256(SecretBytes key, byte[] customization) {
        if (key == null) {
            throw new IllegalArgumentException(NAME + " key is null: pass the MAC key");
        }
        if (key.length() < MIN_KEY_LENGTH) {
            throw new IllegalArgumentException(NAME + " key is " + key.length() + " bytes, shorter than "
                + MIN_KEY_LENGTH + ": use a key of at least " + MIN_KEY_LENGTH + " bytes");
        }
        keyed = new CSHAKEDigest(256, FUNCTION_NAME, Inputs.notNull(NAME, "customization", customization));
        byte[] block = Sp800185.bytepadEncodedString(key.bytes(), Sp800185.RATE_256);
        try {
            keyed.update(block, 0, block.length);
        } finally {
            Arrays.fill(block, (byte) 0);
        }
        working = new CSHAKEDigest(keyed);
    }

    /** A reusable KMAC256 keyed with {@code key} and customisation {@code customization}. */
    public static Kmac256 keyed(SecretBytes key, byte[] customization) {
        return new Kmac256(key, customization);
    }

    /** KMAC256(key, message, 8 * outputLength, customization) as {@code outputLength} bytes. */
    public static byte[] mac(SecretBytes key, byte[] message, int outputLength, byte[] customization) {
        Inputs.outputLength(NAME, outputLength, MIN_OUTPUT_LENGTH, MAX_OUTPUT_LENGTH);
        try (Kmac256 kmac = new Kmac256(key, customization)) {
            return kmac.mac(message, outputLength);
        }
    }

    /**
     * Whether {@code tag} is the KMAC256 of {@code message} with output length {@code tag.length},
     * compared in constant time. A tag of a length outside 16 bytes to 1 MiB is a caller error
     * ({@link IllegalArgumentException}); a wrong tag of an accepted length gives false.
     */
    public static boolean verify(SecretBytes key, byte[] message, byte[] tag, byte[] customization) {
        Inputs.notNull(NAME, "tag", tag);
        Inputs.outputLength(NAME, tag.length, MIN_OUTPUT_LENGTH, MAX_OUTPUT_LENGTH);
        try (Kmac256 kmac = new Kmac256(key, customization)) {
            return kmac.verify(message, tag);
        }
    }

    /** The tag of {@code message}, {@code outputLength} bytes (16 bytes to 1 MiB). */
    public byte[] mac(byte[] message, int outputLength) {
        Inputs.notNull(NAME, "message", message);
        byte[] out = new byte[Inputs.outputLength(NAME, outputLength, MIN_OUTPUT_LENGTH, MAX_OUTPUT_LENGTH)];
        mac(message, 0, message.length, out, 0, outputLength);
        return out;
    }

    /**
     * Writes the {@code outputLength}-byte tag of {@code message[offset, offset + length)} into
     * {@code out} at {@code outOffset}; allocates nothing but the small length encoding.
     */
    public void mac(byte[] message, int offset, int length, byte[] out, int outOffset, int outputLength) {
        checkLive();
        Inputs.range(NAME, message, offset, length);
        Inputs.outputLength(NAME, outputLength, MIN_OUTPUT_LENGTH, MAX_OUTPUT_LENGTH);
        Inputs.range(NAME, out, outOffset, outputLength);
        working.reset(keyed);
        working.update(message, offset, length);
        byte[] encodedLength = Sp800185.rightEncode(outputLength * 8L);
        working.update(encodedLength, 0, encodedLength.length);
        working.doFinal(out, outOffset, outputLength);
    }

    /** Whether {@code tag} is the tag of {@code message} at length {@code tag.length}, in constant time. */
    public boolean verify(byte[] message, byte[] tag) {
        Inputs.notNull(NAME, "tag", tag);
        byte[] expected = mac(message, tag.length);
        try {
            return ConstantTime.equals(expected, tag);
        } finally {
            Arrays.fill(expected, (byte) 0);
        }
    }

    /** Zeroes the keyed sponge state; later use throws {@link IllegalStateException}. */
    @Override
    public void destroy() {
        keyed.reset();
        working.reset();
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    /** Same as {@link #destroy()}, for try-with-resources. */
    @Override
    public void close() {
        destroy();
    }

    @Override
    public String toString() {
        return "Kmac256[" + (destroyed ? "destroyed]" : "keyed]");
    }

    private void checkLive() {
        if (destroyed) {
            throw new IllegalStateException(NAME + " key was used after it was destroyed: key a new instance");
        }
    }
}
