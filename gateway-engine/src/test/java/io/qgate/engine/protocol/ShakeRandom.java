package io.qgate.engine.protocol;

import io.qgate.crypto.kdf.Shake256;
import io.qgate.crypto.kdf.Xof;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * The deterministic randomness of the protocol test vectors (section 13 of
 * {@code docs/PROTOCOL.md}): one SHAKE256 stream over {@code "qgate-v1 test vector " ‖ name},
 * squeezed in the order the handshake draws. {@code nextInt} takes 4 bytes big-endian. Tests only:
 * never a source of real keys.
 */
final class ShakeRandom extends SecureRandom {
    private final transient Xof xof;

    ShakeRandom(String name) {
        super(new byte[0]);
        xof = Shake256.newXof().absorb(("qgate-v1 test vector " + name).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void nextBytes(byte[] bytes) {
        if (xof != null) {
            xof.squeeze(bytes, 0, bytes.length);
        }
    }

    @Override
    public int nextInt() {
        byte[] four = new byte[4];
        nextBytes(four);
        return ((four[0] & 0xFF) << 24) | ((four[1] & 0xFF) << 16) | ((four[2] & 0xFF) << 8) | (four[3] & 0xFF);
    }

    @Override
    public byte[] generateSeed(int length) {
        byte[] seed = new byte[length];
        nextBytes(seed);
        return seed;
    }

    @Override
    public void setSeed(long seed) {
        // The stream is fixed by its name; SecureRandom's constructor calls this before xof exists.
    }
}
