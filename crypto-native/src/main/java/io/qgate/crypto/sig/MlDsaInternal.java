package io.qgate.crypto.sig;

/**
 * The FIPS 204 internal interface of ML-DSA (Sign_internal and Verify_internal over the message
 * representative mu), offered by backends that expose it. It serves known-answer tests,
 * HashML-DSA and protocols that compute mu away from the key (external mu).
 *
 * <p>Use {@link MlDsaMu} to compute mu for the pure, pre-hash and internal message forms.
 * Implementations are thread-safe like {@link SignatureScheme}.
 */
public interface MlDsaInternal {
    /** Length of mu and of the per-signature randomness rnd, in bytes. */
    int MU_LENGTH = 64;
    int RND_LENGTH = 32;

    /** ML-DSA.Sign_internal on the 64-byte {@code mu} with the given 32-byte {@code rnd}. */
    byte[] signMu(SigningKey key, byte[] mu, byte[] rnd);

    /** ML-DSA.Verify_internal on the 64-byte {@code mu}; false for any bad signature. */
    boolean verifyMu(byte[] publicKey, byte[] mu, byte[] signature);

    /** The pure ML-DSA.Sign with the caller's 32-byte {@code rnd} instead of fresh randomness. */
    byte[] sign(SigningKey key, byte[] message, byte[] context, byte[] rnd);
}
