package io.qgate.crypto.kdf;

import org.bouncycastle.crypto.digests.SHAKEDigest;

/**
 * An incremental extendable-output function (SHAKE256 or cSHAKE256): absorb input, then squeeze
 * any number of bytes in one or several calls; the output is one continuous stream.
 *
 * <p>Once squeezing has begun no more input can be absorbed until {@link #reset()}. The sponge
 * state depends on what was absorbed (it may be key material), so {@link #close()} wipes it.
 * Not thread-safe: one owner uses it.
 */
public final class Xof implements AutoCloseable {
    private final SHAKEDigest sponge;
    private final String algorithm;
    private boolean squeezing;

    Xof(SHAKEDigest sponge, String algorithm) {
        this.sponge = sponge;
        this.algorithm = algorithm;
    }

    /** Absorbs {@code input} whole. */
    public Xof absorb(byte[] input) {
        Inputs.notNull(algorithm, "input", input);
        return absorb(input, 0, input.length);
    }

    /** Absorbs {@code length} bytes of {@code input} from {@code offset}. */
    public Xof absorb(byte[] input, int offset, int length) {
        Inputs.range(algorithm, input, offset, length);
        if (squeezing) {
            throw new IllegalStateException(algorithm
                + " cannot absorb after output was squeezed: reset() it or absorb into a copy() taken before squeezing");
        }
        sponge.update(input, offset, length);
        return this;
    }

    /** The next {@code length} bytes of output (1 byte to 1 MiB per call). */
    public byte[] squeeze(int length) {
        byte[] out = new byte[Inputs.outputLength(algorithm, length, 1, Inputs.MAX_XOF_OUTPUT)];
        squeeze(out, 0, length);
        return out;
    }

    /** Writes the next {@code length} bytes of output into {@code out} at {@code offset}. */
    public void squeeze(byte[] out, int offset, int length) {
        Inputs.range(algorithm, out, offset, length);
        squeezing = true;
        sponge.doOutput(out, offset, length);
    }

    /** An independent copy of the current state, absorbing or squeezing. */
    public Xof copy() {
        Xof copy = new Xof((SHAKEDigest) sponge.copy(), algorithm);
        copy.squeezing = squeezing;
        return copy;
    }

    /** Wipes the state and starts over, with the same function name and customisation. */
    public void reset() {
        sponge.reset();
        squeezing = false;
    }

    /** Same as {@link #reset()}: wipes whatever was absorbed. */
    @Override
    public void close() {
        reset();
    }

    /** {@code SHAKE256} or {@code cSHAKE256}. */
    public String algorithm() {
        return algorithm;
    }

    @Override
    public String toString() {
        return "Xof[" + algorithm + (squeezing ? ", squeezing]" : ", absorbing]");
    }

    /** Squeezes {@code length} (already checked) bytes from a one-shot sponge, then wipes it. */
    static byte[] finish(SHAKEDigest sponge, String algorithm, int length) {
        byte[] out = new byte[length];
        sponge.doFinal(out, 0, length);
        return out;
    }
}
