package io.qgate.engine.session;

import io.qgate.crypto.SecretBytes;
import io.qgate.crypto.aead.AeadAlgorithm;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The key material of a {@link Keypair}, traced for tests that look for it in a heap dump. It is
 * read through a worker that has neither sealed nor opened yet (a data worker the test never
 * runs): its ratchets still hold {@code chain_0} of both directions, from which everything the
 * keypair's used workers hold in epoch 0 follows: {@code key_0} (the AEAD key), and
 * {@code chain_1} (the chain that replaces {@code chain_0}; see {@link TrafficKeys}).
 *
 * <p>Each secret is kept masked (XORed with random bytes, the two halves in separate arrays) so
 * that the tracing itself leaves no copy for a heap dump to find; {@link Secret#reveal()} makes
 * the plain bytes once the dump is written.
 */
public final class KeypairSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeypairSecrets() {
    }

    /**
     * One secret, masked.
     *
     * @param name what it is, for failure messages: "client keypair 2 send key_0"
     * @param heldWhileOpen whether the keypair holds it on the heap for as long as it is open
     *     ({@code chain_0}, in the unused worker); the others are erased earlier or live off-heap
     */
    public record Secret(String name, boolean heldWhileOpen, byte[] masked, byte[] mask) {
        static Secret of(String name, boolean heldWhileOpen, byte[] plain, int offset, int length) {
            byte[] mask = new byte[length];
            RANDOM.nextBytes(mask);
            byte[] masked = new byte[length];
            for (int i = 0; i < length; i++) {
                masked[i] = (byte) (plain[offset + i] ^ mask[i]);
            }
            return new Secret(name, heldWhileOpen, masked, mask);
        }

        /** The plain secret: call only after the heap dump was written. */
        public byte[] reveal() {
            byte[] plain = new byte[masked.length];
            for (int i = 0; i < plain.length; i++) {
                plain[i] = (byte) (masked[i] ^ mask[i]);
            }
            return plain;
        }
    }

    /**
     * {@code chain_0}, {@code key_0} and {@code chain_1} of both directions of {@code keypair}, read
     * through worker {@code unusedWorker}.
     *
     * @throws IllegalStateException if that worker has derived keys already (its chains are past
     *     {@code chain_0}) or the keypair is closed
     */
    public static List<Secret> trace(Keypair keypair, int unusedWorker, String label) {
        List<Secret> secrets = new ArrayList<>();
        for (boolean send : new boolean[] {true, false}) {
            String direction = label + (send ? " send " : " receive ");
            TrafficKeys ratchet = keypair.workerForTest(unusedWorker).ratchetForTest(send);
            byte[] chain0 = ratchet.nextEpoch() == 0 ? ratchet.chainCopyForTest() : null;
            if (chain0 == null) {
                throw new IllegalStateException(direction + "ratchet of worker " + unusedWorker + " is past chain_0: "
                    + ratchet);
            }
            try (SecretBytes chain = SecretBytes.wrap(chain0); SecretBytes chain1 = TrafficKeys.ratchet(chain, 0)) {
                byte[] okm = TrafficKeys.derive(chain, 0);
                try {
                    secrets.add(Secret.of(direction + "chain_0", true, chain0, 0, chain0.length));
                    secrets.add(Secret.of(direction + "key_0", false, okm, 0, AeadAlgorithm.KEY_LENGTH));
                    secrets.add(Secret.of(direction + "chain_1", false, chain1.bytes(), 0, TrafficKeys.CHAIN_LENGTH));
                } finally {
                    Arrays.fill(okm, (byte) 0);
                }
            }
        }
        return secrets;
    }
}
