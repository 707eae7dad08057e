package io.qgate.crypto.kem;

import io.qgate.crypto.FixedRandom;
import io.qgate.crypto.Backend;
import io.qgate.crypto.SecretBytes;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.pqc.crypto.xwing.XWingKEMExtractor;
import org.bouncycastle.pqc.crypto.xwing.XWingKEMGenerator;
import org.bouncycastle.pqc.crypto.xwing.XWingKeyGenerationParameters;
import org.bouncycastle.pqc.crypto.xwing.XWingKeyPairGenerator;
import org.bouncycastle.pqc.crypto.xwing.XWingPrivateKeyParameters;
import org.bouncycastle.pqc.crypto.xwing.XWingPublicKeyParameters;

/**
 * X-Wing on Bouncy Castle's own implementation ({@code org.bouncycastle.pqc.crypto.xwing}), kept
 * as an independent cross-check of {@link ComposedXWing}.
 *
 * <p>Bouncy Castle draws its randomness from a {@code SecureRandom}: the 32-byte seed at key
 * generation, and at encapsulation two 32-byte strings in eseed order (m for ML-KEM-768, then the
 * X25519 ephemeral scalar); deterministic use goes through {@link FixedRandom}.
 *
 * <p>Limitation: Bouncy Castle's X-Wing private key object has no {@code destroy}; destroying the
 * {@link KemPrivateKey} wipes qgate's copy of the seed but not Bouncy Castle's expanded copy,
 * which stays until it is garbage-collected.
 */
final class BcXWing extends SeededKem {
    private final KemAlgorithm algorithm = KemAlgorithm.X25519_ML_KEM_768;

    BcXWing() {
        super(KemAlgorithm.X25519_ML_KEM_768, Backend.BOUNCY_CASTLE);
    }

    @Override
    public KemKeyPair deriveKeyPair(byte[] seed) {
        KemInputs.requireLength(algorithm, "seed", seed, algorithm.seedLength());
        FixedRandom random = FixedRandom.of(seed);
        AsymmetricCipherKeyPair pair;
        try {
            XWingKeyPairGenerator generator = new XWingKeyPairGenerator();
            generator.init(new XWingKeyGenerationParameters(random));
            pair = generator.generateKeyPair();
        } catch (RuntimeException e) {
            random.wipe();
            throw e;
        }
        random.finish("Bouncy Castle X-Wing key generation");
        byte[] publicKey = ((XWingPublicKeyParameters) pair.getPublic()).getEncoded();
        SecretBytes seedCopy = SecretBytes.copyOf(seed);
        return new KemKeyPair(publicKey, new KemPrivateKey(algorithm, Backend.BOUNCY_CASTLE, seedCopy, seedCopy, pair.getPrivate()));
    }

    @Override
    public KemEncapsulation encapsulate(byte[] publicKey, byte[] randomness) {
        XWingPublicKeyParameters key = importPublicKey(publicKey);
        KemInputs.requireLength(algorithm, "encapsulation randomness eseed", randomness, algorithm.encapsulationRandomnessLength());
        FixedRandom random = FixedRandom.of(randomness);
        SecretWithEncapsulation result;
        try {
            result = new XWingKEMGenerator(random).generateEncapsulated(key);
        } catch (RuntimeException e) {
            random.wipe();
            throw e;
        }
        random.finish("Bouncy Castle X-Wing encapsulation");
        return new KemEncapsulation(result.getEncapsulation(), SecretBytes.wrap(result.getSecret()));
    }

    @Override
    public SecretBytes decapsulate(KemPrivateKey privateKey, byte[] ciphertext) {
        KemInputs.requireOwnKey(algorithm, Backend.BOUNCY_CASTLE, privateKey);
        KemInputs.requireLength(algorithm, "ciphertext", ciphertext, algorithm.ciphertextLength());
        XWingPrivateKeyParameters key = privateKey.backendKey(XWingPrivateKeyParameters.class);
        return SecretBytes.wrap(new XWingKEMExtractor(key).extractSecret(ciphertext));
    }

    @Override
    public void checkPublicKey(byte[] publicKey) {
        importPublicKey(publicKey);
    }

    @Override
    public KemPrivateKey importPrivateKey(byte[] encoded) {
        KemInputs.requireLength(algorithm, "private key (seed)", encoded, algorithm.privateKeyLength());
        return deriveKeyPair(encoded).privateKey();
    }

    private XWingPublicKeyParameters importPublicKey(byte[] publicKey) {
        KemInputs.requireLength(algorithm, "public key", publicKey, algorithm.publicKeyLength());
        try {
            return new XWingPublicKeyParameters(publicKey);
        } catch (IllegalArgumentException e) {
            throw MlKemKeyChecks.modulusFailure(algorithm, e);
        }
    }

}
