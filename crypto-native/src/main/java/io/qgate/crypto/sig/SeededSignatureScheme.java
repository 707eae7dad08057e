package io.qgate.crypto.sig;

import io.qgate.crypto.Backend;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A {@link SignatureScheme} whose keys come from a seed, as FIPS 204 and 205 define key
 * generation: {@link #generateKeyPair()} draws a fresh seed and runs {@link #deriveKeyPair}, so a
 * generated key keeps its seed. The signature-side twin of the KEMs' {@code SeededKem}.
 */
abstract class SeededSignatureScheme implements SignatureScheme {
    protected final SignatureAlgorithm algorithm;
    /** Fresh randomness for seeds and hedged signing; thread-safe. */
    protected final SecureRandom random = new SecureRandom();
    private final Backend backend;

    SeededSignatureScheme(SignatureAlgorithm algorithm, Backend backend) {
        this.algorithm = algorithm;
        this.backend = backend;
    }

    @Override
    public final SignatureAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public final Backend backend() {
        return backend;
    }

    @Override
    public final SigningKeyPair generateKeyPair() {
        byte[] seed = new byte[algorithm.seedLength()];
        random.nextBytes(seed);
        try {
            return deriveKeyPair(seed);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }
}
