package io.qgate.engine.session;

import io.qgate.crypto.Backend;
import io.qgate.crypto.SecretBytes;
import io.qgate.crypto.aead.AeadAlgorithm;
import io.qgate.crypto.aead.AeadCipher;
import io.qgate.crypto.aead.Aeads;
import io.qgate.crypto.kdf.Kmac256;
import io.qgate.engine.protocol.Protocol;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The symmetric ratchet of one traffic direction (section 6 of {@code docs/PROTOCOL.md}): from
 * the chain secret {@code chain_e} of epoch {@code e},
 *
 * <pre>
 *   okm_e       = KMAC256(chain_e, u16 e, 44 * 8, "qgate-v1 traffic")   key_e = okm_e[0, 32), iv_e = okm_e[32, 44)
 *   chain_{e+1} = KMAC256(chain_e, u16 e, 256,    "qgate-v1 ratchet")   then chain_e is erased
 * </pre>
 *
 * An instance holds only the chain of the next epoch it has not derived yet; the ratchet moves
 * forward only, so keys of an epoch before {@link #nextEpoch()} can no longer be derived from it.
 * Epoch keys leave this class only as an {@link EpochCipher} (a cipher and the IV it needs for
 * nonces): the key and the {@code okm} it came from are wiped as soon as the cipher holds its copy.
 * {@link #derive} and {@link #ratchet} are the two functions by themselves, for test vectors.
 *
 * <p>Not thread-safe: each data worker of a {@link Keypair} owns its own instance per direction.
 */
public final class TrafficKeys implements AutoCloseable {
    /** Bytes of {@code okm_e}: the 32-byte key followed by the 12-byte IV. */
    public static final int OKM_LENGTH = AeadAlgorithm.KEY_LENGTH + AeadAlgorithm.NONCE_LENGTH;
    /** Bytes of a chain secret. */
    public static final int CHAIN_LENGTH = 32;

    private static final byte[] TRAFFIC = "qgate-v1 traffic".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RATCHET = "qgate-v1 ratchet".getBytes(StandardCharsets.US_ASCII);

    private final AeadAlgorithm algorithm;
    private final Backend backend;
    /** {@code chain_{nextEpoch}}; null once the last epoch is derived or after {@link #close()}. */
    private SecretBytes chain;
    private int nextEpoch;

    /**
     * The ratchet at epoch 0; takes ownership of {@code chain0} (destroyed when it is ratcheted past,
     * or by {@link #close()}).
     *
     * @throws IllegalArgumentException if {@code chain0} is not {@value #CHAIN_LENGTH} bytes
     */
    TrafficKeys(SecretBytes chain0, AeadAlgorithm algorithm, Backend backend) {
        Objects.requireNonNull(chain0, "chain0");
        if (chain0.length() != CHAIN_LENGTH) {
            chain0.destroy();
            throw new IllegalArgumentException("a chain secret is " + CHAIN_LENGTH + " bytes, not " + chain0.length());
        }
        this.chain = chain0;
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    /**
     * {@code okm_e = KMAC256(chain_e, u16 e, 352, "qgate-v1 traffic")}: {@code key_e} in bytes
     * {@code [0, 32)}, {@code iv_e} in {@code [32, 44)}. The caller owns the array and wipes it.
     */
    public static byte[] derive(SecretBytes chain, int epoch) {
        return Kmac256.mac(chain, encodeEpoch(epoch), OKM_LENGTH, TRAFFIC);
    }

    /** {@code chain_{e+1} = KMAC256(chain_e, u16 e, 256, "qgate-v1 ratchet")}; {@code chain} is left as it was. */
    public static SecretBytes ratchet(SecretBytes chain, int epoch) {
        return SecretBytes.wrap(Kmac256.mac(chain, encodeEpoch(epoch), CHAIN_LENGTH, RATCHET));
    }

    private static byte[] encodeEpoch(int epoch) {
        if (epoch < 0 || epoch > Protocol.MAX_EPOCH) {
            throw new IllegalArgumentException("epoch " + epoch + " is outside 0.." + Protocol.MAX_EPOCH);
        }
        return new byte[] {(byte) (epoch >>> 8), (byte) epoch};
    }

    /** The first epoch whose keys have not been derived yet: the epoch of the chain held. */
    int nextEpoch() {
        return nextEpoch;
    }

    /**
     * Derives the keys of {@code epoch} into {@code slot} (retiring what the slot held), ratcheting
     * past, and erasing, the chains of any epochs skipped on the way. Allocates: a cold path, run
     * once per epoch.
     *
     * @throws IllegalStateException if {@code epoch} is before {@link #nextEpoch()} (its chain is
     *     erased) or this ratchet is closed or past its last epoch
     * @throws IllegalArgumentException if {@code epoch} is above {@link Protocol#MAX_EPOCH}
     */
    void install(int epoch, EpochCipher slot) {
        if (epoch > Protocol.MAX_EPOCH) {
            throw new IllegalArgumentException("epoch " + epoch + " is above the last, " + Protocol.MAX_EPOCH);
        }
        if (chain == null || epoch < nextEpoch) {
            throw new IllegalStateException("the keys of epoch " + epoch + " can no longer be derived: the ratchet is at "
                + (chain == null ? "its end" : "epoch " + nextEpoch));
        }
        while (nextEpoch < epoch) {
            advance();
        }
        byte[] okm = derive(chain, epoch);
        SecretBytes key = SecretBytes.wrap(Arrays.copyOf(okm, AeadAlgorithm.KEY_LENGTH));
        try {
            AeadCipher cipher = Aeads.create(backend, algorithm, key);
            slot.install(epoch, cipher, okm, AeadAlgorithm.KEY_LENGTH);
        } finally {
            key.destroy();
            Arrays.fill(okm, (byte) 0);
        }
        advance();
    }

    /** Replaces {@code chain_e} by {@code chain_{e+1}} and erases it; past the last epoch there is no next chain. */
    private void advance() {
        SecretBytes next = nextEpoch < Protocol.MAX_EPOCH ? ratchet(chain, nextEpoch) : null;
        chain.destroy();
        chain = next;
        nextEpoch++;
    }

    /** Erases the chain held; idempotent. Slots filled by {@link #install} are retired by their owner. */
    @Override
    public void close() {
        if (chain != null) {
            chain.destroy();
            chain = null;
        }
    }

    /** Whether no chain secret is held any more (for tests). */
    boolean isErased() {
        return chain == null;
    }

    /** A copy of the chain held ({@code chain_{nextEpoch}}), or null once erased; the caller wipes it (for tests). */
    byte[] chainCopyForTest() {
        return chain == null ? null : chain.copy();
    }

    @Override
    public String toString() {
        return "TrafficKeys[" + algorithm + ", next epoch " + nextEpoch + (chain == null ? ", erased]" : "]");
    }
}
