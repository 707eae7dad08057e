package io.qgate.crypto.sig;

import java.security.SecureRandom;
import java.util.Arrays;

/** Key generation as FIPS 204 and 205 define it: draw a fresh seed, then derive the key pair from it. */
final class FreshSeed {
    private FreshSeed() {
    }

    static SigningKeyPair derive(SignatureScheme scheme, SecureRandom random) {
        byte[] seed = new byte[scheme.algorithm().seedLength()];
        random.nextBytes(seed);
        try {
            return scheme.deriveKeyPair(seed);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }
}
