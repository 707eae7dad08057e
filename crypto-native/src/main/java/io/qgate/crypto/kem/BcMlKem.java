package io.qgate.crypto.kem;

import io.qgate.crypto.KeyErasure;
import io.qgate.crypto.Backend;
import io.qgate.crypto.SecretBytes;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.kems.MLKEMExtractor;
import org.bouncycastle.crypto.kems.MLKEMGenerator;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLKEMPublicKeyParameters;

/**
 * ML-KEM on Bouncy Castle's lightweight API ({@code org.bouncycastle.crypto.kems.MLKEMGenerator},
 * {@code MLKEMExtractor}, {@code org.bouncycastle.crypto.params.MLKEM*KeyParameters}).
 *
 * <p>Bouncy Castle exposes the deterministic FIPS 203 internals directly: a private key built from
 * the 64-byte d||z runs KeyGen_internal, and {@code internalGenerateEncapsulated(pk, m)} runs
 * Encaps_internal. Its public key constructor runs the modulus check and its private key
 * constructor the hash check.
 */
final class BcMlKem extends SeededKem {
    private final KemAlgorithm algorithm;
    private final MLKEMParameters parameters;

    BcMlKem(KemAlgorithm algorithm) {
        super(algorithm, Backend.BOUNCY_CASTLE);
        this.algorithm = algorithm;
        this.parameters = switch (algorithm) {
            case ML_KEM_512 -> MLKEMParameters.ml_kem_512;
            case ML_KEM_768 -> MLKEMParameters.ml_kem_768;
            case ML_KEM_1024 -> MLKEMParameters.ml_kem_1024;
            case X25519_ML_KEM_768 -> throw new IllegalArgumentException(algorithm.id() + " is not ML-KEM");
        };
    }

    @Override
    public KemKeyPair deriveKeyPair(byte[] seed) {
        KemInputs.requireLength(algorithm, "seed (d||z)", seed, algorithm.seedLength());
        MLKEMPrivateKeyParameters key = new MLKEMPrivateKeyParameters(parameters, seed);
        return new KemKeyPair(key.getPublicKey(),
            new KemPrivateKey(algorithm, Backend.BOUNCY_CASTLE, SecretBytes.copyOf(seed), SecretBytes.wrap(key.getEncoded()), key));
    }

    @Override
    public KemEncapsulation encapsulate(byte[] publicKey, byte[] randomness) {
        MLKEMPublicKeyParameters key = importPublicKey(publicKey);
        KemInputs.requireLength(algorithm, "encapsulation randomness m", randomness, algorithm.encapsulationRandomnessLength());
        SecretWithEncapsulation result = MLKEMGenerator.internalGenerateEncapsulated(key, randomness);
        SecretBytes secret = SecretBytes.wrap(result.getSecret());
        byte[] ciphertext = result.getEncapsulation();
        KeyErasure.destroyBackendKey(result);
        return new KemEncapsulation(ciphertext, secret);
    }

    @Override
    public SecretBytes decapsulate(KemPrivateKey privateKey, byte[] ciphertext) {
        KemInputs.requireOwnKey(algorithm, Backend.BOUNCY_CASTLE, privateKey);
        KemInputs.requireLength(algorithm, "ciphertext", ciphertext, algorithm.ciphertextLength());
        MLKEMPrivateKeyParameters key = privateKey.backendKey(MLKEMPrivateKeyParameters.class);
        return SecretBytes.wrap(new MLKEMExtractor(key).extractSecret(ciphertext));
    }

    @Override
    public void checkPublicKey(byte[] publicKey) {
        importPublicKey(publicKey);
    }

    @Override
    public KemPrivateKey importPrivateKey(byte[] encoded) {
        KemInputs.requireLength(algorithm, "private key (expanded dk)", encoded, algorithm.privateKeyLength());
        MlKemKeyChecks.checkHash(algorithm, encoded);
        MLKEMPrivateKeyParameters key;
        try {
            key = new MLKEMPrivateKeyParameters(parameters, encoded);
        } catch (IllegalArgumentException e) {
            throw MlKemKeyChecks.hashFailure(algorithm, e);
        }
        return new KemPrivateKey(algorithm, Backend.BOUNCY_CASTLE, null, SecretBytes.copyOf(encoded), key);
    }

    private MLKEMPublicKeyParameters importPublicKey(byte[] publicKey) {
        KemInputs.requireLength(algorithm, "public key", publicKey, algorithm.publicKeyLength());
        try {
            return new MLKEMPublicKeyParameters(parameters, publicKey);
        } catch (IllegalArgumentException e) {
            throw MlKemKeyChecks.modulusFailure(algorithm, e);
        }
    }

}
