package io.qgate.crypto.kem;

import io.qgate.crypto.KeyErasure;
import io.qgate.crypto.FixedRandom;
import io.qgate.crypto.Backend;
import io.qgate.crypto.BackendUnavailableException;
import io.qgate.crypto.CryptoException;
import io.qgate.crypto.SecretBytes;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import javax.crypto.DecapsulateException;
import javax.crypto.KEM;
import javax.crypto.SecretKey;
import javax.security.auth.DestroyFailedException;
import javax.security.auth.Destroyable;

/**
 * ML-KEM on the JDK's built-in provider ({@code KEM}, {@code KeyPairGenerator} and
 * {@code KeyFactory} "ML-KEM").
 *
 * <p>What the JDK 25 provider offers and how it is used here (checked against the ACVP vectors):
 * <ul>
 * <li>Raw keys travel inside fixed DER wrappers: a public key is X.509 SubjectPublicKeyInfo
 *     {@code SEQ{SEQ{OID 2.16.840.1.101.3.4.4.n}, BIT STRING ek}}, a private key is PKCS#8 whose
 *     privateKey holds the "expandedKey" choice {@code OCTET STRING dk}. Both prefixes depend only
 *     on the parameter set, so they are built once and stripped or prepended.</li>
 * <li>JDK 25.0.3 encodes private keys only in the expanded form; it cannot rebuild a key from
 *     d||z through {@code KeyFactory}. Its key pair generator draws d then z (32 bytes each) from
 *     the given {@code SecureRandom} and its encapsulator draws m (32 bytes), so deterministic
 *     key generation and encapsulation run through a {@link FixedRandom} that fails if the JDK
 *     ever asks differently.</li>
 * <li>The provider runs the FIPS 203 modulus check in {@code newEncapsulator} and the hash check
 *     in {@code newDecapsulator}. {@code KEM} and {@code KEM.Decapsulator} are immutable and safe
 *     for concurrent use (their javadoc says so), so one {@code KEM} serves this object and each
 *     private key keeps its decapsulator: the hash check runs once per key, not per handshake.</li>
 * </ul>
 */
final class JdkMlKem extends SeededKem {
    private final KemAlgorithm algorithm;
    private final byte[] spkiPrefix;
    private final byte[] pkcs8Prefix;
    private final KEM kem;

    JdkMlKem(KemAlgorithm algorithm) {
        super(algorithm, Backend.JDK);
        if (!algorithm.isMlKem()) {
            throw new IllegalArgumentException(algorithm.id() + " is not ML-KEM");
        }
        this.algorithm = algorithm;
        byte[] oid = {0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x04, (byte) (algorithm.rank() - 1)};
        byte[] algorithmId = der(0x30, oid, 0);
        // SubjectPublicKeyInfo: SEQ { AlgorithmIdentifier, BIT STRING (0 unused bits) ek }
        byte[] bitStringHeader = header(0x03, algorithm.publicKeyLength() + 1);
        int spkiBody = algorithmId.length + bitStringHeader.length + 1 + algorithm.publicKeyLength();
        spkiPrefix = cat(header(0x30, spkiBody), algorithmId, bitStringHeader, new byte[] {0});
        // OneAsymmetricKey: SEQ { INTEGER 0, AlgorithmIdentifier, OCTET STRING { OCTET STRING dk } }
        byte[] inner = header(0x04, algorithm.privateKeyLength());
        byte[] outer = header(0x04, inner.length + algorithm.privateKeyLength());
        byte[] version = {0x02, 0x01, 0x00};
        int pkcs8Body = version.length + algorithmId.length + outer.length + inner.length + algorithm.privateKeyLength();
        pkcs8Prefix = cat(header(0x30, pkcs8Body), version, algorithmId, outer, inner);
        try {
            kem = KEM.getInstance("ML-KEM");
            KeyFactory.getInstance(algorithm.standardName());
        } catch (NoSuchAlgorithmException e) {
            throw new BackendUnavailableException("this JDK has no " + algorithm.standardName()
                + ": run qgate on JDK 24 or newer, or choose the bouncycastle backend", e);
        }
    }

    @Override
    public KemKeyPair deriveKeyPair(byte[] seed) {
        KemInputs.requireLength(algorithm, "seed (d||z)", seed, algorithm.seedLength());
        FixedRandom random = FixedRandom.of(seed);
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("ML-KEM");
            generator.initialize(new NamedParameterSpec(algorithm.standardName()), random);
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            random.wipe();
            throw new CryptoException("the JDK could not generate an " + algorithm.standardName() + " key pair", e);
        } catch (RuntimeException e) {
            random.wipe();
            throw e;
        }
        random.finish("JDK " + algorithm.standardName() + " key generation");
        byte[] publicKey = strip(spkiPrefix, pair.getPublic().getEncoded(), "public");
        byte[] pkcs8 = pair.getPrivate().getEncoded();
        try {
            byte[] dk = strip(pkcs8Prefix, pkcs8, "private");
            return new KemKeyPair(publicKey,
                new KemPrivateKey(algorithm, Backend.JDK, SecretBytes.copyOf(seed), SecretBytes.wrap(dk), keyObject(pair.getPrivate())));
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    @Override
    public KemEncapsulation encapsulate(byte[] publicKey) {
        return encapsulate(importPublicKey(publicKey), secureRandom(), null);
    }

    @Override
    public KemEncapsulation encapsulate(byte[] publicKey, byte[] randomness) {
        KemInputs.requireLength(algorithm, "encapsulation randomness m", randomness, algorithm.encapsulationRandomnessLength());
        PublicKey key = importPublicKey(publicKey);
        return encapsulate(key, FixedRandom.of(randomness), "JDK " + algorithm.standardName() + " encapsulation");
    }

    private KemEncapsulation encapsulate(PublicKey key, SecureRandom random, String scripted) {
        KEM.Encapsulated result;
        try {
            result = newEncapsulator(key, random).encapsulate();
        } catch (RuntimeException e) {
            if (random instanceof FixedRandom s) {
                s.wipe();
            }
            throw e;
        }
        if (random instanceof FixedRandom s) {
            s.finish(scripted);
        }
        return new KemEncapsulation(result.encapsulation(), extract(result.key()));
    }

    @Override
    public SecretBytes decapsulate(KemPrivateKey privateKey, byte[] ciphertext) {
        KemInputs.requireOwnKey(algorithm, Backend.JDK, privateKey);
        KemInputs.requireLength(algorithm, "ciphertext", ciphertext, algorithm.ciphertextLength());
        try {
            return extract(privateKey.backendKey(JdkPrivateKey.class).decapsulator().decapsulate(ciphertext));
        } catch (DecapsulateException e) {
            throw new CryptoException("the JDK could not decapsulate an " + algorithm.standardName() + " ciphertext", e);
        }
    }

    @Override
    public void checkPublicKey(byte[] publicKey) {
        newEncapsulator(importPublicKey(publicKey), secureRandom());
    }

    @Override
    public KemPrivateKey importPrivateKey(byte[] encoded) {
        KemInputs.requireLength(algorithm, "private key (expanded dk)", encoded, algorithm.privateKeyLength());
        MlKemKeyChecks.checkHash(algorithm, encoded);
        byte[] pkcs8 = KemInputs.concat(pkcs8Prefix, encoded);
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
        try {
            PrivateKey key = KeyFactory.getInstance(algorithm.standardName()).generatePrivate(spec);
            return new KemPrivateKey(algorithm, Backend.JDK, null, SecretBytes.copyOf(encoded), keyObject(key));
        } catch (InvalidKeySpecException e) {
            throw MlKemKeyChecks.hashFailure(algorithm, e);
        } catch (NoSuchAlgorithmException e) {
            throw new BackendUnavailableException("this JDK has no " + algorithm.standardName() + " key factory", e);
        } finally {
            // the spec keeps its own copy that the JDK offers no way to wipe; it is unreachable after this call
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    private PublicKey importPublicKey(byte[] publicKey) {
        KemInputs.requireLength(algorithm, "public key", publicKey, algorithm.publicKeyLength());
        try {
            return KeyFactory.getInstance(algorithm.standardName())
                .generatePublic(new X509EncodedKeySpec(KemInputs.concat(spkiPrefix, publicKey)));
        } catch (InvalidKeySpecException e) {
            throw MlKemKeyChecks.modulusFailure(algorithm, e);
        } catch (NoSuchAlgorithmException e) {
            throw new BackendUnavailableException("this JDK has no " + algorithm.standardName() + " key factory", e);
        }
    }

    private KEM.Encapsulator newEncapsulator(PublicKey key, SecureRandom random) {
        try {
            return kem.newEncapsulator(key, random);
        } catch (InvalidKeyException e) {
            throw MlKemKeyChecks.modulusFailure(algorithm, e);
        }
    }

    private JdkPrivateKey keyObject(PrivateKey key) {
        try {
            return new JdkPrivateKey(key, kem.newDecapsulator(key));
        } catch (InvalidKeyException e) {
            KeyErasure.destroyBackendKey(key);
            throw MlKemKeyChecks.hashFailure(algorithm, e);
        }
    }

    /**
     * The JDK's key and its decapsulator. Destroying it destroys the key: {@code NamedPKCS8Key.destroy}
     * wipes the key bytes on JDK 25, and the decapsulator shares them (checked: afterwards it no longer
     * yields the right secret).
     */
    private record JdkPrivateKey(PrivateKey key, KEM.Decapsulator decapsulator) implements Destroyable {
        @Override
        public void destroy() throws DestroyFailedException {
            key.destroy();
        }

        @Override
        public boolean isDestroyed() {
            return key.isDestroyed();
        }

        @Override
        public String toString() {
            return "JDK ML-KEM private key";
        }

        }

    private static SecretBytes extract(SecretKey key) {
        SecretBytes secret = SecretBytes.wrap(key.getEncoded());
        try {
            key.destroy();
        } catch (DestroyFailedException e) {
            // SecretKeySpec of this JDK keeps its copy until collected; ours is wiped on destroy
        }
        return secret;
    }

    private byte[] strip(byte[] prefix, byte[] encoded, String kind) {
        if (encoded.length < prefix.length || !Arrays.equals(encoded, 0, prefix.length, prefix, 0, prefix.length)) {
            throw new CryptoException("the JDK encoded an " + algorithm.standardName() + " " + kind
                + " key in a form qgate does not know (not the FIPS 203 " + (kind.equals("public") ? "ek" : "expanded dk")
                + " wrapper): run qgate on the JDK 25 it was built for or choose the bouncycastle backend");
        }
        return Arrays.copyOfRange(encoded, prefix.length, encoded.length);
    }

    private static byte[] header(int tag, int length) {
        if (length < 0x80) {
            return new byte[] {(byte) tag, (byte) length};
        }
        if (length < 0x100) {
            return new byte[] {(byte) tag, (byte) 0x81, (byte) length};
        }
        return new byte[] {(byte) tag, (byte) 0x82, (byte) (length >>> 8), (byte) length};
    }

    private static byte[] der(int tag, byte[] body, int extra) {
        return cat(header(tag, body.length + extra), body);
    }

    private static byte[] cat(byte[]... parts) {
        byte[] out = new byte[0];
        for (byte[] p : parts) {
            out = KemInputs.concat(out, p);
        }
        return out;
    }
}
