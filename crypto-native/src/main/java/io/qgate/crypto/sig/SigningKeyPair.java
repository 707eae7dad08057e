package io.qgate.crypto.sig;

import java.util.Objects;

/**
 * A freshly generated or derived key pair: the raw public key for the wire and the private key.
 *
 * <p>Closing the pair destroys the private key; the public key is not secret.
 *
 * @param publicKey the raw encoded public key (a copy is returned by the accessor)
 * @param privateKey the private key, owned by whoever holds this pair
 */
public record SigningKeyPair(byte[] publicKey, SigningKey privateKey) implements AutoCloseable {
    public SigningKeyPair {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(privateKey, "privateKey");
        publicKey = publicKey.clone();
    }

    /** A copy of the raw public key. */
    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** Destroys the private key. */
    @Override
    public void close() {
        privateKey.destroy();
    }

    @Override
    public String toString() {
        return "SigningKeyPair[" + privateKey.algorithm().id() + ", " + publicKey.length + "-byte public key]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SigningKeyPair p && java.util.Arrays.equals(publicKey, p.publicKey) && privateKey == p.privateKey;
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(publicKey);
    }
}
