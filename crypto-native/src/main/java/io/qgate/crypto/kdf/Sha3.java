package io.qgate.crypto.kdf;

import org.bouncycastle.crypto.digests.SHA3Digest;

/**
 * SHA3-256 and SHA3-512 (FIPS 202): one-shot over several parts, and an incremental
 * {@link Hasher} for handshake transcripts.
 *
 * <p>Bouncy Castle's Keccak, not the JDK's {@code MessageDigest}: on this project's reference
 * machine (2-core AMD EPYC, JDK 25.0.3) it hashes 8 KiB in 22.8 ± 2.8 µs against the JDK's
 * 31.3 ± 0.7 µs, whose SHA3 intrinsic is slower than plain Java there ({@code KdfBenchmark},
 * docs/PERFORMANCE.md). A responder hashes about 20 KB of transcript per handshake. The JDK
 * implementation is still used by {@code Sha3Test} to check this one.
 *
 * <p>The static methods are thread-safe; a {@link Hasher} is not.
 */
public final class Sha3 {
    /** SHA3-256 digest length in bytes. */
    public static final int SHA3_256_LENGTH = 32;
    /** SHA3-512 digest length in bytes. */
    public static final int SHA3_512_LENGTH = 64;

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
        return new Hasher(new SHA3Digest(256));
    }

    /** An empty incremental SHA3-512. */
    public static Hasher newSha3_512() {
        return new Hasher(new SHA3Digest(512));
    }

    /**
     * An incremental SHA-3 hash, for example a running handshake transcript. A transcript that
     * forks (the same prefix hashed with two continuations) is {@link #copy() copied} at the fork.
     *
     * <p>Not thread-safe: one owner feeds it.
     */
    public static final class Hasher {
        private final SHA3Digest digest;

        private Hasher(SHA3Digest digest) {
            this.digest = digest;
        }

        /** Absorbs {@code input} whole. */
        public Hasher update(byte[] input) {
            Inputs.notNull(algorithm(), "input", input);
            digest.update(input, 0, input.length);
            return this;
        }

        /** Absorbs {@code length} bytes of {@code input} from {@code offset}. */
        public Hasher update(byte[] input, int offset, int length) {
            Inputs.range(algorithm(), input, offset, length);
            digest.update(input, offset, length);
            return this;
        }

        /** Absorbs each of {@code parts} in order, as if concatenated. */
        public Hasher update(byte[]... parts) {
            for (byte[] part : Inputs.parts(algorithm(), parts)) {
                digest.update(part, 0, part.length);
            }
            return this;
        }

        /** The digest of everything absorbed; the hasher then starts over empty. */
        public byte[] digest() {
            byte[] out = new byte[digest.getDigestSize()];
            digest.doFinal(out, 0);
            return out;
        }

        /** An independent hasher holding the same absorbed input (a transcript fork). */
        public Hasher copy() {
            return new Hasher(new SHA3Digest(digest));
        }

        /** The digest length in bytes. */
        public int digestLength() {
            return digest.getDigestSize();
        }

        /** The standard name, {@code SHA3-256} or {@code SHA3-512}. */
        public String algorithm() {
            return digest.getAlgorithmName();
        }

        @Override
        public String toString() {
            return "Sha3.Hasher[" + algorithm() + "]";
        }
    }
}
