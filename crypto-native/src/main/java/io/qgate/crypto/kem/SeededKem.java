package io.qgate.crypto.kem;

import io.qgate.crypto.Backend;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A {@link Kem} whose randomized operations draw a fresh seed or encapsulation randomness and run
 * the deterministic ones, so that generated keys keep their seed.
 */
abstract class SeededKem implements Kem {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KemAlgorithm algorithm;
    private final Backend backend;

    SeededKem(KemAlgorithm algorithm, Backend backend) {
        this.algorithm = algorithm;
        this.backend = backend;
    }

    @Override
    public final KemAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public final Backend backend() {
        return backend;
    }

    @Override
    public KemKeyPair generateKeyPair() {
        byte[] seed = random(algorithm.seedLength());
        try {
            return deriveKeyPair(seed);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    @Override
    public KemEncapsulation encapsulate(byte[] publicKey) {
        byte[] randomness = random(algorithm.encapsulationRandomnessLength());
        try {
            return encapsulate(publicKey, randomness);
        } finally {
            Arrays.fill(randomness, (byte) 0);
        }
    }

    static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** The shared {@code SecureRandom}, for backends that draw randomness themselves. */
    static SecureRandom secureRandom() {
        return RANDOM;
    }

    @Override
    public String toString() {
        return algorithm.id() + " on " + backend.id();
    }
}
