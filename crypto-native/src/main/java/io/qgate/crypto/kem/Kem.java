package io.qgate.crypto.kem;

import io.qgate.crypto.InvalidPrivateKeyException;
import io.qgate.crypto.InvalidPublicKeyException;
import io.qgate.crypto.Backend;
import io.qgate.crypto.SecretBytes;

/**
 * One key encapsulation mechanism on one backend. Obtain one from {@link Kems#create}.
 *
 * <p>Keys on the wire are raw bytes: an ML-KEM public key is the FIPS 203 encapsulation key ek,
 * an X-Wing public key is pk_M || pk_X. A private key works only with the backend that made or
 * imported it.
 *
 * <p>Errors: a public key, ciphertext, seed or randomness of the wrong length gives
 * {@link IllegalArgumentException}; a public key of the right length that fails validation (the
 * FIPS 203 modulus check) gives {@link InvalidPublicKeyException}; an imported private key that
 * fails the FIPS 203 hash check gives {@link InvalidPrivateKeyException}. A modified ciphertext of
 * the right length is not an error: ML-KEM returns its implicit-rejection key (FIPS 203), which
 * differs from the sender's secret, so the handshake fails later at key confirmation.
 *
 * <p>Thread-safety: every implementation is safe for concurrent use by many threads.
 */
public interface Kem {
    KemAlgorithm algorithm();

    Backend backend();

    /** A new key pair from fresh randomness (the seed is drawn from a {@code SecureRandom} and kept). */
    KemKeyPair generateKeyPair();

    /**
     * The key pair determined by {@code seed}: for ML-KEM the 64 bytes d||z of FIPS 203
     * ML-KEM.KeyGen_internal(d, z), for X-Wing the 32-byte seed of the draft's key derivation.
     *
     * @throws IllegalArgumentException if the seed has the wrong length
     */
    KemKeyPair deriveKeyPair(byte[] seed);

    /**
     * Encapsulates a fresh shared secret to {@code publicKey}.
     *
     * @throws IllegalArgumentException if the key has the wrong length
     * @throws InvalidPublicKeyException if the key fails validation
     */
    KemEncapsulation encapsulate(byte[] publicKey);

    /**
     * Deterministic encapsulation, for known-answer tests only: {@code randomness} is the 32-byte m
     * of FIPS 203 ML-KEM.Encaps_internal, or for X-Wing the draft's 64-byte eseed (m for ML-KEM-768
     * then the X25519 ephemeral scalar). Reusing randomness reveals the shared secret; never use
     * this with anything but test data.
     *
     * @throws IllegalArgumentException if the key or the randomness has the wrong length
     * @throws InvalidPublicKeyException if the key fails validation
     */
    KemEncapsulation encapsulate(byte[] publicKey, byte[] randomness);

    /**
     * The shared secret in {@code ciphertext}; the caller owns and destroys it.
     *
     * @throws IllegalArgumentException if the ciphertext has the wrong length, or the key belongs to
     *     another algorithm or backend
     * @throws IllegalStateException if the private key was destroyed
     */
    SecretBytes decapsulate(KemPrivateKey privateKey, byte[] ciphertext);

    /**
     * Checks a peer's public key as encapsulation would (length, FIPS 203 modulus check) without
     * encapsulating.
     *
     * @throws IllegalArgumentException if the key has the wrong length
     * @throws InvalidPublicKeyException if the key fails validation
     */
    void checkPublicKey(byte[] publicKey);

    /**
     * Imports a stored private key: the expanded FIPS 203 decapsulation key dk for ML-KEM (checked
     * with the FIPS 203 §7.3 hash check), the 32-byte seed for X-Wing. The caller keeps ownership
     * of {@code encoded} and wipes it.
     *
     * @throws IllegalArgumentException if it has the wrong length
     * @throws InvalidPrivateKeyException if it fails the hash check
     */
    KemPrivateKey importPrivateKey(byte[] encoded);
}
