package io.qgate.engine.protocol;

import io.qgate.crypto.kdf.Sha3;

/**
 * The running handshake transcript of section 5.5 of {@code docs/PROTOCOL.md}: SHA3-256 over
 * every field either side sent, in order. {@link #hash()} gives TH<sub>n</sub> without ending the
 * transcript. Single-threaded.
 */
public final class Transcript {
    private final Sha3.Hasher hasher;

    public Transcript() {
        this(Sha3.newSha3_256());
    }

    private Transcript(Sha3.Hasher hasher) {
        this.hasher = hasher;
    }

    public Transcript append(byte[] bytes) {
        hasher.update(bytes);
        return this;
    }

    /** The hash of everything appended so far; appending may go on. */
    public byte[] hash() {
        return hasher.copy().digest();
    }

    /** A copy that continues independently. */
    public Transcript copy() {
        return new Transcript(hasher.copy());
    }
}
