package io.qgate.crypto.sig;

import io.qgate.crypto.FixedRandom;
import io.qgate.crypto.InvalidPrivateKeyException;
import io.qgate.crypto.InvalidPublicKeyException;
import io.qgate.crypto.Backend;
import io.qgate.crypto.CryptoException;
import io.qgate.crypto.SecretBytes;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.SLHDSAKeyPairGenerator;
import org.bouncycastle.crypto.params.ParametersWithContext;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.params.SLHDSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.SLHDSAParameters;
import org.bouncycastle.crypto.params.SLHDSAPrivateKeyParameters;
import org.bouncycastle.crypto.params.SLHDSAPublicKeyParameters;
import org.bouncycastle.crypto.signers.SLHDSASigner;

/**
 * SLH-DSA (FIPS 205, pure, SHAKE parameter sets) on Bouncy Castle's lightweight API, with
 * context strings, the deterministic variant (opt_rand = PK.seed) and seeded key generation.
 * Thread-safe: a signer is built per call.
 */
final class BouncyCastleSlhDsa extends SeededSignatureScheme {
    private final SLHDSAParameters parameters;
    private final int n;

    BouncyCastleSlhDsa(SignatureAlgorithm algorithm) {
        super(algorithm, Backend.BOUNCY_CASTLE);
        this.parameters = switch (algorithm) {
            case SLH_DSA_SHAKE_128S -> SLHDSAParameters.shake_128s;
            case SLH_DSA_SHAKE_128F -> SLHDSAParameters.shake_128f;
            case SLH_DSA_SHAKE_256F -> SLHDSAParameters.shake_256f;
            default -> throw new IllegalArgumentException(algorithm.id() + " is not SLH-DSA");
        };
        this.n = algorithm.seedLength() / 3;
    }

    @Override
    public SigningKeyPair deriveKeyPair(byte[] seed) {
        SignatureInputs.checkLength(seed, algorithm.seedLength(), algorithm.id() + " seed (SK.seed || SK.prf || PK.seed)");
        FixedRandom fixed = FixedRandom.of(seed);
        try {
            SLHDSAKeyPairGenerator generator = new SLHDSAKeyPairGenerator();
            generator.init(new SLHDSAKeyGenerationParameters(fixed, parameters));
            AsymmetricCipherKeyPair pair = generator.generateKeyPair();
            SLHDSAPrivateKeyParameters privateKey = (SLHDSAPrivateKeyParameters) pair.getPrivate();
            if (!fixed.consumed() || !Arrays.equals(privateKey.getSeed(), 0, n, seed, 0, n)
                || !Arrays.equals(privateKey.getPrf(), 0, n, seed, n, 2 * n)
                || !Arrays.equals(privateKey.getPublicSeed(), 0, n, seed, 2 * n, 3 * n)) {
                throw new CryptoException("Bouncy Castle's " + algorithm.id()
                    + " key generation did not take SK.seed, SK.prf and PK.seed in FIPS 205 order");
            }
            SigningKey key = new SigningKey(algorithm, Backend.BOUNCY_CASTLE, SecretBytes.copyOf(seed), true, privateKey);
            return new SigningKeyPair(((SLHDSAPublicKeyParameters) pair.getPublic()).getEncoded(), key);
        } finally {
            fixed.wipe();
        }
    }

    @Override
    public SigningKey importExpanded(byte[] expandedPrivateKey) {
        SignatureInputs.checkLength(expandedPrivateKey, algorithm.expandedPrivateKeyLength(), algorithm.id() + " private key");
        try {
            SLHDSAPrivateKeyParameters key = new SLHDSAPrivateKeyParameters(parameters, expandedPrivateKey);
            return new SigningKey(algorithm, Backend.BOUNCY_CASTLE, SecretBytes.copyOf(expandedPrivateKey), false, key);
        } catch (RuntimeException e) {
            throw new InvalidPrivateKeyException("Bouncy Castle rejected the " + algorithm.id() + " private key", e);
        }
    }

    @Override
    public byte[] sign(SigningKey key, byte[] message, byte[] context) {
        return sign(key, message, context, random);
    }

    @Override
    public byte[] signDeterministic(SigningKey key, byte[] message, byte[] context) {
        SLHDSAPrivateKeyParameters privateKey = key.backendKey(this, SLHDSAPrivateKeyParameters.class);
        return sign(key, message, context, FixedRandom.of(privateKey.getPublicSeed()));
    }

    private byte[] sign(SigningKey key, byte[] message, byte[] context, SecureRandom optRand) {
        SignatureInputs.checkSignInputs(message, context);
        SLHDSAPrivateKeyParameters privateKey = key.backendKey(this, SLHDSAPrivateKeyParameters.class);
        SLHDSASigner signer = new SLHDSASigner();
        signer.init(true, new ParametersWithContext(new ParametersWithRandom(privateKey, optRand), context));
        return signer.generateSignature(message);
    }

    @Override
    public boolean verify(byte[] publicKey, byte[] message, byte[] context, byte[] signature) {
        SignatureInputs.checkPublicKey(algorithm, publicKey);
        SignatureInputs.checkSignInputs(message, context);
        SLHDSAPublicKeyParameters key;
        try {
            key = new SLHDSAPublicKeyParameters(parameters, publicKey);
        } catch (RuntimeException e) {
            throw new InvalidPublicKeyException("the " + algorithm.id() + " public key is malformed", e);
        }
        if (!SignatureInputs.plausibleSignatureLength(algorithm, signature)) {
            return false;
        }
        SLHDSASigner verifier = new SLHDSASigner();
        verifier.init(false, new ParametersWithContext(key, context));
        try {
            return verifier.verifySignature(message, signature);
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    @Override
    public String toString() {
        return algorithm.id() + " on bouncycastle";
    }
}
