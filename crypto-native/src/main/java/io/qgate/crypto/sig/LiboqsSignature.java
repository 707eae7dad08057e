package io.qgate.crypto.sig;

import io.qgate.crypto.Backend;
import io.qgate.crypto.BackendUnavailableException;
import io.qgate.crypto.SecretBytes;
import io.qgate.ffm.NativeLibraryUnavailableException;
import io.qgate.ffm.oqs.OqsSig;

/**
 * Every qgate signature algorithm on liboqs (0.12 or newer for context strings and SLH-DSA names),
 * through {@link OqsSig}. liboqs keeps keys as raw bytes, so a {@link SigningKey} here holds the
 * expanded private key in {@link SecretBytes}. liboqs signs only hedged and has no seeded key
 * generation in its generic API; those calls are refused with a reason. The {@code OQS_SIG}
 * object lives as long as the process, like the library itself.
 */
final class LiboqsSignature implements SignatureScheme {
    private final SignatureAlgorithm algorithm;
    private final OqsSig oqs;

    LiboqsSignature(SignatureAlgorithm algorithm) {
        this.algorithm = algorithm;
        try {
            this.oqs = OqsSig.open(methodName(algorithm));
        } catch (NativeLibraryUnavailableException | IllegalArgumentException e) {
            throw new BackendUnavailableException(e.getMessage(), e);
        }
        if (oqs.publicKeyLength() != algorithm.publicKeyLength() || oqs.maxSignatureLength() != algorithm.signatureLength()) {
            throw new BackendUnavailableException("liboqs " + oqs.methodName() + " has key or signature sizes other than FIPS "
                + algorithm.id() + " (an old pre-standard version): install liboqs 0.12 or newer");
        }
    }

    /** The liboqs algorithm name (OQS_SIG_alg_* of liboqs 0.12+). */
    static String methodName(SignatureAlgorithm algorithm) {
        return switch (algorithm) {
            case ML_DSA_44 -> "ML-DSA-44";
            case ML_DSA_65 -> "ML-DSA-65";
            case ML_DSA_87 -> "ML-DSA-87";
            case SLH_DSA_SHAKE_128S -> "SLH_DSA_PURE_SHAKE_128S";
            case SLH_DSA_SHAKE_128F -> "SLH_DSA_PURE_SHAKE_128F";
            case SLH_DSA_SHAKE_256F -> "SLH_DSA_PURE_SHAKE_256F";
            case FALCON_512 -> "Falcon-512";
        };
    }

    @Override
    public SignatureAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public Backend backend() {
        return Backend.LIBOQS;
    }

    @Override
    public SigningKeyPair generateKeyPair() {
        byte[] publicKey = new byte[oqs.publicKeyLength()];
        byte[] secretKey = new byte[oqs.secretKeyLength()];
        oqs.keypair(publicKey, secretKey);
        return new SigningKeyPair(publicKey, new SigningKey(algorithm, Backend.LIBOQS, SecretBytes.wrap(secretKey), false, null));
    }

    @Override
    public SigningKeyPair deriveKeyPair(byte[] seed) {
        throw new BackendUnavailableException("liboqs has no seeded key generation for " + algorithm.id()
            + " in its generic API: use backend " + (algorithm.family() == SignatureAlgorithm.Family.FALCON ? "none (Falcon has no standard seed)" : "bouncycastle"));
    }

    @Override
    public SigningKey importExpanded(byte[] expandedPrivateKey) {
        SignatureInputs.checkLength(expandedPrivateKey, oqs.secretKeyLength(), algorithm.id() + " private key");
        if (algorithm.family() == SignatureAlgorithm.Family.ML_DSA) {
            MlDsaPrivateKeyEncoding.check(algorithm, expandedPrivateKey);
        }
        return new SigningKey(algorithm, Backend.LIBOQS, SecretBytes.copyOf(expandedPrivateKey), false, null);
    }

    @Override
    public byte[] sign(SigningKey key, byte[] message, byte[] context) {
        SignatureInputs.checkSignInputs(message, context);
        key.backendKey(this, Object.class);
        requireContextSupport(context);
        return oqs.sign(message, context, key.material().bytes());
    }

    @Override
    public byte[] signDeterministic(SigningKey key, byte[] message, byte[] context) {
        throw new BackendUnavailableException("liboqs signs " + algorithm.id() + " only hedged: use backend bouncycastle for deterministic signatures");
    }

    @Override
    public boolean verify(byte[] publicKey, byte[] message, byte[] context, byte[] signature) {
        SignatureInputs.checkPublicKey(algorithm, publicKey);
        SignatureInputs.checkSignInputs(message, context);
        requireContextSupport(context);
        if (!SignatureInputs.plausibleSignatureLength(algorithm, signature)) {
            return false;
        }
        return oqs.verify(message, context, signature, publicKey);
    }

    private void requireContextSupport(byte[] context) {
        if (context.length == 0) {
            return;
        }
        if (algorithm.family() == SignatureAlgorithm.Family.FALCON) {
            throw new IllegalArgumentException("falcon-512 takes no context string: pass an empty context");
        }
        if (!oqs.supportsContext()) {
            throw new BackendUnavailableException("this liboqs is too old for " + algorithm.id()
                + " context strings: install liboqs 0.12 or newer or use backend bouncycastle");
        }
    }

    @Override
    public String toString() {
        return algorithm.id() + " on liboqs (" + oqs.methodName() + ")";
    }
}
