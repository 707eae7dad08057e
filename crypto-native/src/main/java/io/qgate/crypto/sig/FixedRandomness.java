package io.qgate.crypto.sig;

import java.io.Serial;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A "random" source that hands out exactly the given bytes, in order, and then refuses. It is how
 * qgate feeds a chosen seed or rnd into JCA and Bouncy Castle APIs that only take a SecureRandom.
 * Not thread-safe; one instance per operation.
 */
final class FixedRandomness extends SecureRandom {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient byte[] bytes;
    private int position;

    FixedRandomness(byte[] bytes) {
        super(new byte[0]);
        this.bytes = bytes.clone();
    }

    static FixedRandomness zeros(int length) {
        return new FixedRandomness(new byte[length]);
    }

    @Override
    public void nextBytes(byte[] out) {
        if (out.length > bytes.length - position) {
            throw new IllegalStateException("the backend asked for more randomness than the "
                + bytes.length + " fixed bytes it was given");
        }
        System.arraycopy(bytes, position, out, 0, out.length);
        position += out.length;
    }

    /** Whether every byte was consumed, which proves the backend used exactly the given seed. */
    boolean consumed() {
        return position == bytes.length;
    }

    /** Wipes the held copy. */
    void wipe() {
        Arrays.fill(bytes, (byte) 0);
    }
}
