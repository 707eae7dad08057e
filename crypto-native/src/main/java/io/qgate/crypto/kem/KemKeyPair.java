package io.qgate.crypto.kem;

/**
 * A public key as raw wire bytes and its private key. Closing the pair destroys the private key.
 *
 * @param publicKey the raw encapsulation key ({@link KemAlgorithm#publicKeyLength()} bytes)
 * @param privateKey the decapsulation key
 */
public record KemKeyPair(byte[] publicKey, KemPrivateKey privateKey) implements AutoCloseable {
    /** Destroys the private key. */
    @Override
    public void close() {
        privateKey.destroy();
    }

    @Override
    public String toString() {
        return "KemKeyPair[public key " + publicKey.length + " bytes, " + privateKey + "]";
    }
}
