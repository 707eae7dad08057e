package io.qgate.crypto.sig;

import io.qgate.crypto.InvalidPublicKeyException;
import io.qgate.crypto.Backend;
import io.qgate.crypto.BackendUnavailableException;
import io.qgate.crypto.SecretBytes;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.pqc.crypto.falcon.FalconKeyGenerationParameters;
import org.bouncycastle.pqc.crypto.falcon.FalconKeyPairGenerator;
import org.bouncycastle.pqc.crypto.falcon.FalconParameters;
import org.bouncycastle.pqc.crypto.falcon.FalconPrivateKeyParameters;
import org.bouncycastle.pqc.crypto.falcon.FalconPublicKeyParameters;
import org.bouncycastle.pqc.crypto.falcon.FalconSigner;

/**
 * Falcon-512 on Bouncy Castle's lightweight API. Falcon has no context strings, no standard
 * seeded key generation and no deterministic variant; those calls are refused with a reason.
 * Public keys on the wire carry the one-byte header 0x09 of the round-3 encoding.
 * Thread-safe: a signer is built per call.
 */
final class BouncyCastleFalcon implements SignatureScheme {
    private static final byte PUBLIC_KEY_HEADER = 0x09;
    private static final byte PRIVATE_KEY_HEADER = 0x59;

    private final SignatureAlgorithm algorithm = SignatureAlgorithm.FALCON_512;
    private final FalconParameters parameters = FalconParameters.falcon_512;
    private final SecureRandom random = new SecureRandom();

    @Override
    public SignatureAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public Backend backend() {
        return Backend.BOUNCY_CASTLE;
    }

    @Override
    public SigningKeyPair generateKeyPair() {
        FalconKeyPairGenerator generator = new FalconKeyPairGenerator();
        generator.init(new FalconKeyGenerationParameters(random, parameters));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        FalconPrivateKeyParameters privateKey = (FalconPrivateKeyParameters) pair.getPrivate();
        byte[] h = ((FalconPublicKeyParameters) pair.getPublic()).getH();
        byte[] publicKey = new byte[1 + h.length];
        publicKey[0] = PUBLIC_KEY_HEADER;
        System.arraycopy(h, 0, publicKey, 1, h.length);
        byte[] fgF = privateKey.getEncoded();
        byte[] expanded = new byte[1 + fgF.length];
        expanded[0] = PRIVATE_KEY_HEADER;
        System.arraycopy(fgF, 0, expanded, 1, fgF.length);
        Arrays.fill(fgF, (byte) 0);
        return new SigningKeyPair(publicKey, new SigningKey(algorithm, Backend.BOUNCY_CASTLE, SecretBytes.wrap(expanded), false, privateKey));
    }

    @Override
    public SigningKeyPair deriveKeyPair(byte[] seed) {
        throw new BackendUnavailableException("falcon-512 has no standard seeded key generation: store the generated private key instead");
    }

    @Override
    public SigningKey importExpanded(byte[] expandedPrivateKey) {
        throw new BackendUnavailableException("Bouncy Castle cannot rebuild a falcon-512 private key without its public key:"
            + " keep the SigningKey from generateKeyPair, or use backend liboqs to import raw Falcon keys");
    }

    @Override
    public byte[] sign(SigningKey key, byte[] message, byte[] context) {
        SignatureInputs.checkSignInputs(message, context);
        requireEmptyContext(context);
        FalconPrivateKeyParameters privateKey = key.backendKey(this, FalconPrivateKeyParameters.class);
        FalconSigner signer = new FalconSigner();
        signer.init(true, new ParametersWithRandom(privateKey, random));
        return signer.generateSignature(message);
    }

    @Override
    public byte[] signDeterministic(SigningKey key, byte[] message, byte[] context) {
        throw new BackendUnavailableException("falcon-512 has no deterministic signing variant: use sign");
    }

    @Override
    public boolean verify(byte[] publicKey, byte[] message, byte[] context, byte[] signature) {
        SignatureInputs.checkPublicKey(algorithm, publicKey);
        SignatureInputs.checkSignInputs(message, context);
        requireEmptyContext(context);
        if (publicKey[0] != PUBLIC_KEY_HEADER) {
            throw new InvalidPublicKeyException("the falcon-512 public key does not start with the header byte 0x09: it is not a Falcon-512 key");
        }
        FalconPublicKeyParameters key;
        try {
            key = new FalconPublicKeyParameters(parameters, Arrays.copyOfRange(publicKey, 1, publicKey.length));
        } catch (RuntimeException e) {
            throw new InvalidPublicKeyException("the falcon-512 public key is malformed", e);
        }
        if (!SignatureInputs.plausibleSignatureLength(algorithm, signature)) {
            return false;
        }
        FalconSigner verifier = new FalconSigner();
        verifier.init(false, key);
        try {
            return verifier.verifySignature(message, signature);
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    private static void requireEmptyContext(byte[] context) {
        if (context.length != 0) {
            throw new IllegalArgumentException("falcon-512 takes no context string: pass an empty context");
        }
    }

    @Override
    public String toString() {
        return algorithm.id() + " on bouncycastle";
    }
}
