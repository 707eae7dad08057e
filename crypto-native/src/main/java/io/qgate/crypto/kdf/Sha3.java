package io.qgate.crypto.kdf;

import io.qgate.crypto.BackendUnavailableException;
import io.qgate.crypto.CryptoException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA3-256 and SHA3-512 (FIPS 202) on the JDK's {@code MessageDigest}: one-shot over several
 * parts, and an incremental {@link Hasher} for handshake transcripts.
 *
 * <p>New hashers are cloned from a prototype that is never updated, which is cheaper than a
 * provider look-up per hash; the static methods are thread-safe, a {@link Hasher} is not.
 */
public final class Sha3 {
    /** SHA3-256 digest length in bytes. */
    public static final int SHA3_256_LENGTH = 32;
    /** SHA3-512 digest length in bytes. */
    public static final int SHA3_512_LENGTH = 64;

    private static final MessageDigest SHA3_256 = prototype("SHA3-256");
    private static final MessageDigest SHA3_512 = prototype("SHA3-512");

    private Sha3() {
    }

    /** SHA3-256 of the concatenation of {@code parts}. */
    public static byte[] sha3_256(byte[]... parts) {
        return newSha3_256().update(parts).digest();
    }

    /** SHA3-512 of the concatenation of {@code parts}. */
    public static byte[] sha3_512(byte[]... parts) {
        return newSha3_512().update(parts).digest();
    }

    /** An empty incremental SHA3-256. */
    public static Hasher newSha3_256() {
        return new Hasher(fresh(SHA3_256));
    }

    /** An empty incremental SHA3-512. */
    public static Hasher newSha3_512() {
        return new Hasher(fresh(SHA3_512));
    }

    /**
     * An incremental SHA-3 hash, for example a running handshake transcript. A transcript that
     * forks (the same prefix hashed with two continuations) is {@link #copy() copied} at the fork.
     *
     * <p>Not thread-safe: one owner feeds it.
     */
    public static final class Hasher {
        private final MessageDigest digest;

        private Hasher(MessageDigest digest) {
            this.digest = digest;
        }

        /** Absorbs {@code input} whole. */
        public Hasher update(byte[] input) {
            digest.update(Inputs.notNull(digest.getAlgorithm(), "input", input));
            return this;
        }

        /** Absorbs {@code length} bytes of {@code input} from {@code offset}. */
        public Hasher update(byte[] input, int offset, int length) {
            Inputs.range(digest.getAlgorithm(), input, offset, length);
            digest.update(input, offset, length);
            return this;
        }

        /** Absorbs each of {@code parts} in order, as if concatenated. */
        public Hasher update(byte[]... parts) {
            for (byte[] part : Inputs.parts(digest.getAlgorithm(), parts)) {
                digest.update(part);
            }
            return this;
        }

        /** The digest of everything absorbed; the hasher then starts over empty. */
        public byte[] digest() {
            return digest.digest();
        }

        /** An independent hasher holding the same absorbed input (a transcript fork). */
        public Hasher copy() {
            return new Hasher(fresh(digest));
        }

        /** The digest length in bytes. */
        public int digestLength() {
            return digest.getDigestLength();
        }

        /** The JCA name, {@code SHA3-256} or {@code SHA3-512}. */
        public String algorithm() {
            return digest.getAlgorithm();
        }

        @Override
        public String toString() {
            return "Sha3.Hasher[" + digest.getAlgorithm() + "]";
        }
    }

    private static MessageDigest prototype(String algorithm) {
        try {
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            fresh(digest);
            return digest;
        } catch (NoSuchAlgorithmException e) {
            throw new BackendUnavailableException("the JDK offers no " + algorithm
                + " MessageDigest: run qgate on a JDK 25 with the SUN provider enabled", e);
        }
    }

    private static MessageDigest fresh(MessageDigest source) {
        try {
            return (MessageDigest) source.clone();
        } catch (CloneNotSupportedException e) {
            throw new CryptoException("the JDK's " + source.getAlgorithm()
                + " MessageDigest cannot be cloned, which qgate needs for transcript forks", e);
        }
    }
}
