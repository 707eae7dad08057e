package io.qgate.crypto.sig;

import io.qgate.crypto.InvalidPrivateKeyException;
import io.qgate.crypto.InvalidPublicKeyException;
import io.qgate.crypto.Backend;

/**
 * One signature algorithm on one backend: key generation, signing and verification over raw
 * FIPS 204 / FIPS 205 / Falcon encodings.
 *
 * <p>Thread safety: every implementation is safe for concurrent use by many threads; each call
 * builds its own signer state. A {@link SigningKey} may be used by many threads at once, but must
 * not be destroyed while another thread signs with it.
 *
 * <p>Errors: inputs of the wrong size give {@link IllegalArgumentException}; a malformed public
 * key gives {@link InvalidPublicKeyException}; an invalid private key gives
 * {@link InvalidPrivateKeyException}; something this backend cannot do gives
 * {@link io.qgate.crypto.BackendUnavailableException} naming a backend that can.
 */
public interface SignatureScheme {
    /** Longest context string FIPS 204 and FIPS 205 allow. */
    int MAX_CONTEXT_LENGTH = 255;

    SignatureAlgorithm algorithm();

    Backend backend();

    /** A new key pair from this backend's secure random source. */
    SigningKeyPair generateKeyPair();

    /**
     * The key pair determined by {@code seed}: ML-DSA's 32-byte xi (FIPS 204 KeyGen_internal), or
     * SLH-DSA's SK.seed || SK.prf || PK.seed (FIPS 205 slh_keygen_internal).
     *
     * @throws IllegalArgumentException if the seed has the wrong length
     * @throws io.qgate.crypto.BackendUnavailableException if this algorithm or backend has no seeded key generation
     */
    SigningKeyPair deriveKeyPair(byte[] seed);

    /**
     * Imports an expanded private key (FIPS 204 skEncode, FIPS 205 SK.seed || SK.prf || PK.seed || PK.root).
     * The caller keeps ownership of {@code expandedPrivateKey} and should wipe it.
     *
     * @throws IllegalArgumentException if it has the wrong length
     * @throws InvalidPrivateKeyException if its content is not a valid key
     */
    SigningKey importExpanded(byte[] expandedPrivateKey);

    /**
     * Signs {@code message} with the hedged (randomized) variant of the pure algorithm.
     *
     * @param context 0 to 255 bytes binding the signature to its use (empty for none)
     */
    byte[] sign(SigningKey key, byte[] message, byte[] context);

    /**
     * Signs with the deterministic variant (ML-DSA: rnd = 32 zero bytes; SLH-DSA: opt_rand = PK.seed).
     * Only for known-answer tests and protocols that need reproducible signatures.
     */
    byte[] signDeterministic(SigningKey key, byte[] message, byte[] context);

    /**
     * Whether {@code signature} is a valid signature of {@code message} under {@code publicKey}
     * and {@code context}. A signature of any wrong length or content gives false.
     *
     * @throws InvalidPublicKeyException if the public key is malformed
     * @throws IllegalArgumentException if the context is longer than 255 bytes
     */
    boolean verify(byte[] publicKey, byte[] message, byte[] context, byte[] signature);
}
