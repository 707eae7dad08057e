package io.qgate.crypto;

import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import java.util.Arrays;

/**
 * A {@link SecureRandom} that hands out exactly the given bytes, in order, and nothing more. It is
 * how qgate feeds a chosen seed or nonce into JCA and Bouncy Castle APIs that only take a
 * {@code SecureRandom}: FIPS 203 (d, z, m), FIPS 204 (xi, rnd), FIPS 205 and X-Wing seeds, for
 * deterministic key derivation and known-answer tests. Never a source of real randomness.
 *
 * <p>A request for more bytes than remain fails with a {@link CryptoException}, so a provider that
 * draws its randomness differently than expected can never silently produce other keys;
 * {@link #finish} also fails if bytes were left over. Both wipe the held copy, as does {@link #wipe}.
 */
public final class FixedRandom extends SecureRandom {
    private final transient Source source;

    private FixedRandom(Source source) {
        super(source, null);
        this.source = source;
    }

    /** Serves the concatenation of {@code parts} (copied; the caller keeps its arrays). */
    public static FixedRandom of(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] bytes = new byte[length];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, bytes, offset, part.length);
            offset += part.length;
        }
        return new FixedRandom(new Source(bytes));
    }

    /** Serves {@code length} zero bytes (FIPS 204's deterministic signing uses rnd = 0^32). */
    public static FixedRandom zeros(int length) {
        return new FixedRandom(new Source(new byte[length]));
    }

    /** Whether every byte was drawn, which shows the provider used exactly the given input. */
    public boolean consumed() {
        return source.consumed();
    }

    /** Overwrites what is held; call when the operation failed for its own reason. */
    public void wipe() {
        source.wipe();
    }

    /**
     * Wipes what is held and fails unless every byte was drawn; call after the operation succeeded.
     *
     * @param operation what used the bytes, for the message ("JDK ML-KEM-768 key generation")
     */
    public void finish(String operation) {
        boolean complete = source.consumed();
        int drawn = source.position;
        int length = source.bytes.length;
        source.wipe();
        if (!complete) {
            throw new CryptoException(operation + " drew " + drawn + " of the " + length
                + " bytes it was given: this provider derives keys differently, use the bouncycastle backend");
        }
    }

    private static final class Source extends SecureRandomSpi {
        final byte[] bytes;
        int position;

        Source(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        protected void engineSetSeed(byte[] seed) {
            // the given bytes are the only source
        }

        @Override
        protected synchronized void engineNextBytes(byte[] out) {
            if (out.length > bytes.length - position) {
                int remaining = bytes.length - position;
                wipe();
                throw new CryptoException("the provider asked for " + out.length + " random bytes where only "
                    + remaining + " of the given " + bytes.length + " remain: this provider derives keys differently,"
                    + " use the bouncycastle backend");
            }
            System.arraycopy(bytes, position, out, 0, out.length);
            Arrays.fill(bytes, position, position + out.length, (byte) 0);
            position += out.length;
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            throw new CryptoException("a fixed random source cannot generate seeds");
        }

        synchronized boolean consumed() {
            return position == bytes.length;
        }

        synchronized void wipe() {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
