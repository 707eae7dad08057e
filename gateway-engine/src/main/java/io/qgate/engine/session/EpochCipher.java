package io.qgate.engine.session;

import io.qgate.crypto.aead.AeadCipher;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The AEAD cipher of one epoch of one direction and the IV its nonces are built from, as one data
 * worker holds it: a reusable slot that {@link TrafficKeys#install} fills and {@link #retire()}
 * erases. The nonce of counter {@code c} is {@code iv_e XOR (0^4 || u64 c)} (section 9).
 *
 * <p>Not thread-safe: owned by one worker, like the cipher inside it.
 */
final class EpochCipher {
    /** The epoch of an empty slot. */
    static final int NONE = -1;

    private static final ValueLayout.OfInt U32 =
        ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong U64 =
        ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private int epoch = NONE;
    private AeadCipher cipher;
    /** {@code iv_e[0, 4)}, big-endian. */
    private int ivHead;
    /** {@code iv_e[4, 12)}, big-endian: the counter is XORed into these bytes. */
    private long ivTail;

    /** The epoch held, or {@link #NONE}. */
    int epoch() {
        return epoch;
    }

    /** The cipher of {@link #epoch()}; null when empty. */
    AeadCipher cipher() {
        return cipher;
    }

    /** Writes the 12-byte nonce of {@code counter} into {@code nonce}. */
    void nonce(long counter, MemorySegment nonce) {
        nonce.set(U32, 0, ivHead);
        nonce.set(U64, 4, ivTail ^ counter);
    }

    /** Retires what this slot held and takes {@code cipher} and the 12-byte IV at {@code ivOffset} of {@code okm}. */
    void install(int epoch, AeadCipher cipher, byte[] okm, int ivOffset) {
        retire();
        MemorySegment iv = MemorySegment.ofArray(okm);
        this.ivHead = iv.get(U32, ivOffset);
        this.ivTail = iv.get(U64, ivOffset + 4L);
        this.cipher = cipher;
        this.epoch = epoch;
    }

    /** Closes the cipher (erasing its key) and zeroes the IV; the slot is empty afterwards. Idempotent. */
    void retire() {
        if (cipher != null) {
            cipher.close();
            cipher = null;
        }
        ivHead = 0;
        ivTail = 0;
        epoch = NONE;
    }

    /** Whether this slot holds no key material (for tests). */
    boolean isErased() {
        return cipher == null && ivHead == 0 && ivTail == 0;
    }

    @Override
    public String toString() {
        return epoch == NONE ? "EpochCipher[empty]" : "EpochCipher[epoch " + epoch + "]";
    }
}
