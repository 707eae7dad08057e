package io.qgate.crypto.kdf;

import org.bouncycastle.crypto.digests.SHAKEDigest;

/**
 * SHAKE256 (FIPS 202) with output of any length, on Bouncy Castle's {@code SHAKEDigest}
 * (the JDK's {@code SHAKE256-512} gives a fixed 64 bytes only). qgate uses it for expansion.
 */
public final class Shake256 {
    static final String NAME = "SHAKE256";

    private Shake256() {
    }

    /**
     * The first {@code outputLength} bytes (1 to 1 MiB) of SHAKE256 over the concatenation of
     * {@code parts}.
     */
    public static byte[] hash(int outputLength, byte[]... parts) {
        Inputs.outputLength(NAME, outputLength, 1, Inputs.MAX_XOF_OUTPUT);
        SHAKEDigest sponge = new SHAKEDigest(256);
        for (byte[] part : Inputs.parts(NAME, parts)) {
            sponge.update(part, 0, part.length);
        }
        return Xof.finish(sponge, NAME, outputLength);
    }

    /** An empty incremental SHAKE256. */
    public static Xof newXof() {
        return new Xof(new SHAKEDigest(256), NAME);
    }
}
