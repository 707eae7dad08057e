package io.qgate.engine.protocol;

import io.qgate.crypto.sig.SignatureAlgorithm;

/** The one-byte wire ids of signature algorithms (section 2 of {@code docs/PROTOCOL.md}). */
public final class SignatureAlgorithmId {
    private static final SignatureAlgorithm[] BY_ID = {
        null,
        SignatureAlgorithm.ML_DSA_44,
        SignatureAlgorithm.ML_DSA_65,
        SignatureAlgorithm.ML_DSA_87,
        SignatureAlgorithm.SLH_DSA_SHAKE_128S,
        SignatureAlgorithm.SLH_DSA_SHAKE_128F,
        SignatureAlgorithm.SLH_DSA_SHAKE_256F,
        SignatureAlgorithm.FALCON_512,
    };

    private SignatureAlgorithmId() {
    }

    /** The wire id of {@code algorithm}. */
    public static int of(SignatureAlgorithm algorithm) {
        for (int id = 1; id < BY_ID.length; id++) {
            if (BY_ID[id] == algorithm) {
                return id;
            }
        }
        throw new IllegalArgumentException("no wire id for " + algorithm);
    }

    /** The algorithm with wire id {@code id}, or {@code null} if there is none. */
    public static SignatureAlgorithm fromId(int id) {
        return id > 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
