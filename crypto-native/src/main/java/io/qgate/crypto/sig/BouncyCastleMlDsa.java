package io.qgate.crypto.sig;

import io.qgate.crypto.FixedRandom;
import io.qgate.crypto.InvalidPrivateKeyException;
import io.qgate.crypto.InvalidPublicKeyException;
import io.qgate.crypto.Backend;
import io.qgate.crypto.CryptoException;
import io.qgate.crypto.SecretBytes;
import java.security.SecureRandom;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.CipherParameters;
import org.bouncycastle.crypto.generators.MLDSAKeyPairGenerator;
import org.bouncycastle.crypto.params.MLDSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.MLDSAParameters;
import org.bouncycastle.crypto.params.MLDSAPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLDSAPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithContext;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.MLDSASigner;

/**
 * ML-DSA on Bouncy Castle's lightweight API: pure signing with context strings, the deterministic
 * variant, caller-chosen rnd, and the internal interface over mu ({@link MlDsaInternal}).
 * A fresh {@link MLDSASigner} is built per call, so the scheme is thread-safe.
 */
final class BouncyCastleMlDsa extends SeededSignatureScheme implements MlDsaInternal {
    private final MLDSAParameters parameters;

    BouncyCastleMlDsa(SignatureAlgorithm algorithm) {
        super(algorithm, Backend.BOUNCY_CASTLE);
        this.parameters = switch (algorithm) {
            case ML_DSA_44 -> MLDSAParameters.ml_dsa_44;
            case ML_DSA_65 -> MLDSAParameters.ml_dsa_65;
            case ML_DSA_87 -> MLDSAParameters.ml_dsa_87;
            default -> throw new IllegalArgumentException(algorithm.id() + " is not ML-DSA");
        };
    }

    @Override
    public SigningKeyPair deriveKeyPair(byte[] seed) {
        SignatureInputs.checkLength(seed, algorithm.seedLength(), algorithm.id() + " seed (xi)");
        FixedRandom xi = FixedRandom.of(seed);
        try {
            MLDSAKeyPairGenerator generator = new MLDSAKeyPairGenerator();
            generator.init(new MLDSAKeyGenerationParameters(xi, parameters));
            AsymmetricCipherKeyPair pair = generator.generateKeyPair();
            if (!xi.consumed()) {
                throw new CryptoException("Bouncy Castle's " + algorithm.id() + " key generation did not use the whole seed");
            }
            MLDSAPrivateKeyParameters privateKey = (MLDSAPrivateKeyParameters) pair.getPrivate();
            SigningKey key = new SigningKey(algorithm, Backend.BOUNCY_CASTLE, SecretBytes.copyOf(seed), true, privateKey);
            return new SigningKeyPair(((MLDSAPublicKeyParameters) pair.getPublic()).getEncoded(), key);
        } finally {
            xi.wipe();
        }
    }

    @Override
    public SigningKey importExpanded(byte[] expandedPrivateKey) {
        MlDsaPrivateKeyEncoding.check(algorithm, expandedPrivateKey);
        try {
            MLDSAPrivateKeyParameters key = new MLDSAPrivateKeyParameters(parameters, expandedPrivateKey);
            return new SigningKey(algorithm, Backend.BOUNCY_CASTLE, SecretBytes.copyOf(expandedPrivateKey), false, key);
        } catch (RuntimeException e) {
            throw new InvalidPrivateKeyException("Bouncy Castle rejected the " + algorithm.id() + " private key: it is not a valid expanded key", e);
        }
    }

    @Override
    public byte[] sign(SigningKey key, byte[] message, byte[] context) {
        return sign(key, message, context, random);
    }

    @Override
    public byte[] signDeterministic(SigningKey key, byte[] message, byte[] context) {
        return sign(key, message, context, FixedRandom.zeros(RND_LENGTH));
    }

    @Override
    public byte[] sign(SigningKey key, byte[] message, byte[] context, byte[] rnd) {
        SignatureInputs.checkLength(rnd, RND_LENGTH, "ML-DSA rnd");
        return sign(key, message, context, FixedRandom.of(rnd));
    }

    private byte[] sign(SigningKey key, byte[] message, byte[] context, SecureRandom rnd) {
        SignatureInputs.checkSignInputs(message, context);
        MLDSAPrivateKeyParameters privateKey = key.backendKey(this, MLDSAPrivateKeyParameters.class);
        MLDSASigner signer = new MLDSASigner();
        signer.init(true, new ParametersWithContext(new ParametersWithRandom(privateKey, rnd), context));
        signer.update(message, 0, message.length);
        try {
            return signer.generateSignature();
        } catch (org.bouncycastle.crypto.CryptoException e) {
            throw new CryptoException("Bouncy Castle failed to sign with " + algorithm.id(), e);
        }
    }

    @Override
    public boolean verify(byte[] publicKey, byte[] message, byte[] context, byte[] signature) {
        SignatureInputs.checkPublicKey(algorithm, publicKey);
        SignatureInputs.checkSignInputs(message, context);
        CipherParameters key = new ParametersWithContext(publicKey(publicKey), context);
        if (!SignatureInputs.plausibleSignatureLength(algorithm, signature)) {
            return false;
        }
        MLDSASigner verifier = new MLDSASigner();
        verifier.init(false, key);
        verifier.update(message, 0, message.length);
        try {
            return verifier.verifySignature(signature);
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    @Override
    public byte[] signMu(SigningKey key, byte[] mu, byte[] rnd) {
        SignatureInputs.checkLength(mu, MU_LENGTH, "ML-DSA mu");
        SignatureInputs.checkLength(rnd, RND_LENGTH, "ML-DSA rnd");
        MLDSAPrivateKeyParameters privateKey = key.backendKey(this, MLDSAPrivateKeyParameters.class);
        MLDSASigner signer = new MLDSASigner();
        signer.init(true, new ParametersWithRandom(privateKey, FixedRandom.of(rnd)));
        try {
            return signer.generateMuSignature(mu);
        } catch (org.bouncycastle.crypto.CryptoException e) {
            throw new CryptoException("Bouncy Castle failed to sign mu with " + algorithm.id(), e);
        }
    }

    @Override
    public boolean verifyMu(byte[] publicKey, byte[] mu, byte[] signature) {
        SignatureInputs.checkPublicKey(algorithm, publicKey);
        SignatureInputs.checkLength(mu, MU_LENGTH, "ML-DSA mu");
        MLDSAPublicKeyParameters key = publicKey(publicKey);
        if (!SignatureInputs.plausibleSignatureLength(algorithm, signature)) {
            return false;
        }
        MLDSASigner verifier = new MLDSASigner();
        verifier.init(false, key);
        try {
            return verifier.verifyMuSignature(mu, signature);
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    private MLDSAPublicKeyParameters publicKey(byte[] raw) {
        try {
            return new MLDSAPublicKeyParameters(parameters, raw);
        } catch (RuntimeException e) {
            throw new InvalidPublicKeyException("the " + algorithm.id() + " public key is malformed", e);
        }
    }

    @Override
    public String toString() {
        return algorithm.id() + " on bouncycastle";
    }
}
