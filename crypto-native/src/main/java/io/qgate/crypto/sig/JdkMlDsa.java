package io.qgate.crypto.sig;

import io.qgate.crypto.FixedRandom;
import io.qgate.crypto.InvalidPrivateKeyException;
import io.qgate.crypto.InvalidPublicKeyException;
import io.qgate.crypto.Backend;
import io.qgate.crypto.BackendUnavailableException;
import io.qgate.crypto.CryptoException;
import io.qgate.crypto.SecretBytes;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * ML-DSA on the JDK's built-in SUN provider (JDK 24+).
 *
 * <p>What JDK 25 offers, found by experiment on 25.0.3 and checked against the Wycheproof vectors:
 * raw keys travel inside a fixed X.509 prefix per parameter set; private keys are PKCS#8 holding
 * only the expanded key (a seed is not accepted), so seeds go through key generation with a
 * fixed random source that supplies xi; signing takes its 32-byte rnd from the SecureRandom given
 * to {@code initSign}, so 32 zero bytes give the deterministic variant. There is no context string
 * and no external mu: a non-empty context gives {@link BackendUnavailableException}.
 */
final class JdkMlDsa extends SeededSignatureScheme {
    private static final byte[] ML_DSA_OID_PREFIX = {0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03};

    /**
     * Whether keys that sign more than once get {@link JdkMlDsaPrecomputed}: true unless the system
     * property {@code qgate.mldsa.precompute} is {@code false} (for measuring the difference).
     */
    static final boolean PRECOMPUTE = !"false".equals(System.getProperty("qgate.mldsa.precompute"));
    /** What the self-check signs; any fixed message would do. */
    private static final byte[] SELF_CHECK_MESSAGE = "qgate ML-DSA precomputation self-check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Kept in a key that cannot be precomputed (see {@link #precompute}), so that it is not tried again. */
    static final Destroyable NOT_PRECOMPUTED = new Destroyable() {
        @Override
        public boolean isDestroyed() {
            return true;
        }

        @Override
        public String toString() {
            return "not precomputed";
        }
    };

    private final NamedParameterSpec spec;
    private final String jcaName;
    private final byte oidLastArc;

    JdkMlDsa(SignatureAlgorithm algorithm) {
        super(algorithm, Backend.JDK);
        switch (algorithm) {
            case ML_DSA_44 -> { spec = NamedParameterSpec.ML_DSA_44; oidLastArc = 0x11; }
            case ML_DSA_65 -> { spec = NamedParameterSpec.ML_DSA_65; oidLastArc = 0x12; }
            case ML_DSA_87 -> { spec = NamedParameterSpec.ML_DSA_87; oidLastArc = 0x13; }
            default -> throw new BackendUnavailableException("the JDK has no " + algorithm.id() + ": use backend bouncycastle");
        }
        this.jcaName = spec.getName();
        try {
            Signature.getInstance(jcaName);
        } catch (GeneralSecurityException e) {
            throw new BackendUnavailableException("this JDK has no " + jcaName + " (JDK 24 or newer is needed): use backend bouncycastle", e);
        }
    }

    @Override
    public SigningKeyPair deriveKeyPair(byte[] seed) {
        SignatureInputs.checkLength(seed, algorithm.seedLength(), algorithm.id() + " seed (xi)");
        FixedRandom xi = FixedRandom.of(seed);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(jcaName);
            generator.initialize(spec, xi);
            KeyPair pair = generator.generateKeyPair();
            if (!xi.consumed()) {
                throw new CryptoException("the JDK's " + jcaName + " key generation did not use the whole seed, so it cannot derive keys from xi");
            }
            SigningKey key = new SigningKey(algorithm, Backend.JDK, SecretBytes.copyOf(seed), true, pair.getPrivate());
            return new SigningKeyPair(rawPublicKey(pair.getPublic()), key);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("the JDK could not generate an " + jcaName + " key pair", e);
        } finally {
            xi.wipe();
        }
    }

    @Override
    public SigningKey importExpanded(byte[] expandedPrivateKey) {
        MlDsaPrivateKeyEncoding.check(algorithm, expandedPrivateKey);
        byte[] pkcs8 = pkcs8(expandedPrivateKey);
        try {
            PrivateKey key = KeyFactory.getInstance(jcaName).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            return new SigningKey(algorithm, Backend.JDK, SecretBytes.copyOf(expandedPrivateKey), false, key);
        } catch (InvalidKeySpecException e) {
            throw new InvalidPrivateKeyException("the JDK rejected the " + algorithm.id() + " private key: it is not a valid expanded key", e);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("the JDK could not import an " + jcaName + " private key", e);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    @Override
    public byte[] sign(SigningKey key, byte[] message, byte[] context) {
        return sign(key, message, context, false);
    }

    @Override
    public byte[] signDeterministic(SigningKey key, byte[] message, byte[] context) {
        return sign(key, message, context, true);
    }

    /**
     * From a key's second signature on, signs with its matrix A and NTTs computed once
     * ({@link JdkMlDsaPrecomputed}) where this JVM allows it; otherwise, and for a key's first
     * signature, through the JDK's {@link Signature}. Both give the same signature for the same rnd.
     */
    private byte[] sign(SigningKey key, byte[] message, byte[] context, boolean deterministic) {
        SignatureInputs.checkSignInputs(message, context);
        requireEmptyContext(context);
        PrivateKey privateKey = key.backendKey(this, PrivateKey.class);
        Destroyable state = key.precomputed(this);
        if (state == null && PRECOMPUTE && key.countSignature() > 1) {
            state = precompute(key, privateKey);
        }
        if (!(state instanceof JdkMlDsaPrecomputed precomputed)) {
            return signWithJdk(privateKey, message, deterministic ? FixedRandom.zeros(MlDsaInternal.RND_LENGTH) : random);
        }
        byte[] rnd = new byte[MlDsaInternal.RND_LENGTH];
        if (!deterministic) {
            random.nextBytes(rnd);
        }
        try {
            return precomputed.sign(message, rnd);
        } finally {
            Arrays.fill(rnd, (byte) 0);
        }
    }

    private byte[] signWithJdk(PrivateKey privateKey, byte[] message, SecureRandom rnd) {
        try {
            Signature signer = Signature.getInstance(jcaName);
            signer.initSign(privateKey, rnd);
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new CryptoException("the JDK failed to sign with " + jcaName, e);
        }
    }

    /**
     * The key's precomputed state, checked once against the JDK's own signer: both sign a fixed
     * message deterministically and must agree byte for byte. {@link #NOT_PRECOMPUTED}, and the
     * JDK's signer is used for this key from then on, if they do not or this JVM cannot precompute.
     */
    private Destroyable precompute(SigningKey key, PrivateKey privateKey) {
        byte[] expanded = JdkMlDsaPrecomputed.unavailableReason() != null ? null
            : key.hasSeed() ? expandedFromJdk(privateKey) : key.material().copy();
        if (expanded == null) {
            return key.keepPrecomputed(NOT_PRECOMPUTED);
        }
        return precompute(key, privateKey, expanded);
    }

    /** {@link #precompute(SigningKey, PrivateKey)} from the expanded key, which this wipes. */
    Destroyable precompute(SigningKey key, PrivateKey privateKey, byte[] expanded) {
        JdkMlDsaPrecomputed state;
        try {
            state = JdkMlDsaPrecomputed.of(algorithm, expanded);
        } finally {
            Arrays.fill(expanded, (byte) 0);
        }
        byte[] probe = SELF_CHECK_MESSAGE.clone();
        if (!Arrays.equals(state.sign(probe, new byte[MlDsaInternal.RND_LENGTH]),
                signWithJdk(privateKey, probe, FixedRandom.zeros(MlDsaInternal.RND_LENGTH)))) {
            state.destroy();
            return key.keepPrecomputed(NOT_PRECOMPUTED);
        }
        return key.keepPrecomputed(state);
    }

    /**
     * The expanded key inside the JDK's encoding of a key it generated (its PKCS#8 form, the one
     * {@link #pkcs8} writes), or null when the JDK wrote another form; the caller wipes it.
     */
    byte[] expandedFromJdk(PrivateKey privateKey) {
        byte[] der = privateKey.getEncoded();
        int n = algorithm.expandedPrivateKeyLength();
        if (der == null) {
            return null;
        }
        byte[] expected = pkcs8(new byte[n]);
        try {
            int header = expected.length - n;
            if (der.length != expected.length || !Arrays.equals(der, 0, header, expected, 0, header)) {
                return null;
            }
            return Arrays.copyOfRange(der, header, der.length);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    @Override
    public boolean verify(byte[] publicKey, byte[] message, byte[] context, byte[] signature) {
        SignatureInputs.checkPublicKey(algorithm, publicKey);
        SignatureInputs.checkSignInputs(message, context);
        requireEmptyContext(context);
        PublicKey key = publicKey(publicKey);
        if (!SignatureInputs.plausibleSignatureLength(algorithm, signature)) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(jcaName);
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (SignatureException malformed) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new CryptoException("the JDK failed to verify with " + jcaName, e);
        }
    }

    /** The JDK key for a raw public key, for callers that verify many times with one key. */
    PublicKey publicKey(byte[] raw) {
        byte[] spki = spkiPrefix(raw.length);
        int prefix = spki.length;
        spki = Arrays.copyOf(spki, prefix + raw.length);
        System.arraycopy(raw, 0, spki, prefix, raw.length);
        try {
            return KeyFactory.getInstance(jcaName).generatePublic(new X509EncodedKeySpec(spki));
        } catch (InvalidKeySpecException e) {
            throw new InvalidPublicKeyException("the " + algorithm.id() + " public key is malformed", e);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("the JDK could not import an " + jcaName + " public key", e);
        }
    }

    private void requireEmptyContext(byte[] context) {
        if (context.length != 0) {
            throw new BackendUnavailableException("the JDK's " + jcaName
                + " cannot sign or verify with a context string: use backend bouncycastle for contexts");
        }
    }

    private byte[] rawPublicKey(PublicKey key) {
        byte[] spki = key.getEncoded();
        byte[] expectedPrefix = spkiPrefix(algorithm.publicKeyLength());
        if (spki.length != expectedPrefix.length + algorithm.publicKeyLength()
            || !Arrays.equals(spki, 0, expectedPrefix.length, expectedPrefix, 0, expectedPrefix.length)) {
            throw new CryptoException("the JDK encoded its " + jcaName + " public key in an unexpected form");
        }
        return Arrays.copyOfRange(spki, expectedPrefix.length, spki.length);
    }

    /** SEQUENCE { SEQUENCE { OID }, BIT STRING { 0 unused bits, raw } } up to the raw key. */
    private byte[] spkiPrefix(int rawLength) {
        int bitString = rawLength + 1;
        int algorithmId = 2 + ML_DSA_OID_PREFIX.length + 1;
        int body = algorithmId + 4 + bitString;
        byte[] p = new byte[4 + algorithmId + 4 + 1];
        int i = 0;
        p[i++] = 0x30; p[i++] = (byte) 0x82; p[i++] = (byte) (body >> 8); p[i++] = (byte) body;
        p[i++] = 0x30; p[i++] = (byte) (ML_DSA_OID_PREFIX.length + 1);
        System.arraycopy(ML_DSA_OID_PREFIX, 0, p, i, ML_DSA_OID_PREFIX.length);
        i += ML_DSA_OID_PREFIX.length;
        p[i++] = oidLastArc;
        p[i++] = 0x03; p[i++] = (byte) 0x82; p[i++] = (byte) (bitString >> 8); p[i++] = (byte) bitString;
        p[i] = 0;
        return p;
    }

    /** OneAsymmetricKey v0 whose privateKey OCTET STRING wraps the expanded key in another OCTET STRING, as JDK 25 writes it. */
    private byte[] pkcs8(byte[] expanded) {
        int n = expanded.length;
        int inner = n + 4;
        int body = 3 + 2 + ML_DSA_OID_PREFIX.length + 1 + 4 + inner;
        byte[] der = new byte[4 + body];
        int i = 0;
        der[i++] = 0x30; der[i++] = (byte) 0x82; der[i++] = (byte) (body >> 8); der[i++] = (byte) body;
        der[i++] = 0x02; der[i++] = 0x01; der[i++] = 0x00;
        der[i++] = 0x30; der[i++] = (byte) (ML_DSA_OID_PREFIX.length + 1);
        System.arraycopy(ML_DSA_OID_PREFIX, 0, der, i, ML_DSA_OID_PREFIX.length);
        i += ML_DSA_OID_PREFIX.length;
        der[i++] = oidLastArc;
        der[i++] = 0x04; der[i++] = (byte) 0x82; der[i++] = (byte) (inner >> 8); der[i++] = (byte) inner;
        der[i++] = 0x04; der[i++] = (byte) 0x82; der[i++] = (byte) (n >> 8); der[i++] = (byte) n;
        System.arraycopy(expanded, 0, der, i, n);
        return der;
    }

    @Override
    public String toString() {
        return algorithm.id() + " on jdk";
    }
}
