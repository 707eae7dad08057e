package io.qgate.crypto.kem;

import io.qgate.crypto.InvalidPublicKeyException;
import io.qgate.crypto.Backend;
import io.qgate.crypto.SecretBytes;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.security.auth.Destroyable;
import org.bouncycastle.crypto.digests.SHAKEDigest;

/**
 * X-Wing, composed from an ML-KEM-768 {@link Kem} and {@link X25519} exactly as
 * draft-connolly-cfrg-xwing-kem-06 ("X-Wing: general-purpose hybrid post-quantum KEM") specifies.
 *
 * <pre>
 * expandDecapsulationKey(sk):            sk is the 32-byte seed
 *   expanded = SHAKE256(sk, 96)
 *   (pk_M, sk_M) = ML-KEM-768.KeyGen_internal(expanded[0:32], expanded[32:64])
 *   sk_X = expanded[64:96];  pk_X = X25519(sk_X, 9)
 *   public key = pk_M || pk_X             (1184 + 32 bytes)
 * Encapsulate(pk, eseed):                eseed is 64 bytes, fresh unless testing
 *   ek_X = eseed[32:64];  ct_X = X25519(ek_X, 9);  ss_X = X25519(ek_X, pk_X)
 *   (ss_M, ct_M) = ML-KEM-768.Encaps_internal(pk_M, m = eseed[0:32])
 *   ciphertext = ct_M || ct_X             (1088 + 32 bytes)
 * Decapsulate(sk, ct):
 *   ss_M = ML-KEM-768.Decaps(sk_M, ct_M);  ss_X = X25519(sk_X, ct_X)
 * Combiner (both sides):
 *   ss = SHA3-256(ss_M || ss_X || ct_X || pk_X || XWingLabel),  XWingLabel = "\.//^\" (5c 2e 2f 2f 5e 5c)
 * </pre>
 *
 * <p>SHA3-256 and X25519 come from the JDK. SHAKE256 with 96 bytes of output comes from Bouncy
 * Castle's {@code SHAKEDigest}: the JDK 25 offers SHAKE256 only as a fixed 64-byte
 * {@code MessageDigest}. ML-KEM-768 comes from the wrapped {@link Kem}, which must support
 * deterministic key generation and encapsulation.
 *
 * <p>One deliberate difference from the draft: {@link X25519#agree} rejects an all-zero X25519
 * secret, so a public key or ciphertext whose X25519 part is a small-order point is refused
 * ({@link InvalidPublicKeyException}, {@link InvalidCiphertextException}) where the draft would
 * carry on. Honest peers never produce such values. The ML-KEM-768 public key part gets the
 * FIPS 203 modulus check.
 *
 * <p>Thread-safe: no shared mutable state.
 */
final class ComposedXWing extends SeededKem {
    private static final byte[] LABEL = {0x5c, 0x2e, 0x2f, 0x2f, 0x5e, 0x5c};
    private static final int ML_KEM_PUBLIC = 1184;
    private static final int ML_KEM_CIPHERTEXT = 1088;

    private final KemAlgorithm algorithm = KemAlgorithm.X25519_ML_KEM_768;
    private final Kem mlKem;

    /** @param mlKem ML-KEM-768 on the backend this X-Wing reports as its own */
    ComposedXWing(Kem mlKem) {
        super(KemAlgorithm.X25519_ML_KEM_768, mlKem.backend());
        if (mlKem.algorithm() != KemAlgorithm.ML_KEM_768) {
            throw new IllegalArgumentException("X-Wing is built on ML-KEM-768, not " + mlKem.algorithm().id());
        }
        this.mlKem = mlKem;
    }

    @Override
    public KemKeyPair deriveKeyPair(byte[] seed) {
        KemInputs.requireLength(algorithm, "seed", seed, algorithm.seedLength());
        Expanded keys = expand(seed);
        byte[] publicKey = KemInputs.concat(keys.mlKemPublic, keys.x25519Public);
        SecretBytes seedCopy = SecretBytes.copyOf(seed);
        return new KemKeyPair(publicKey, new KemPrivateKey(algorithm, backend(), seedCopy, seedCopy, keys));
    }

    @Override
    public KemEncapsulation encapsulate(byte[] publicKey, byte[] randomness) {
        KemInputs.requireLength(algorithm, "public key", publicKey, algorithm.publicKeyLength());
        KemInputs.requireLength(algorithm, "encapsulation randomness eseed", randomness, algorithm.encapsulationRandomnessLength());
        byte[] mlKemPublic = Arrays.copyOfRange(publicKey, 0, ML_KEM_PUBLIC);
        byte[] x25519Public = Arrays.copyOfRange(publicKey, ML_KEM_PUBLIC, ML_KEM_PUBLIC + 32);
        byte[] m = Arrays.copyOfRange(randomness, 0, 32);
        byte[] ephemeral = Arrays.copyOfRange(randomness, 32, 64);
        try {
            byte[] ctX = X25519.publicKey(ephemeral);
            try (SecretBytes ssX = X25519.agree(ephemeral, x25519Public)) {
                KemEncapsulation inner = mlKem.encapsulate(mlKemPublic, m);
                try (SecretBytes ssM = inner.sharedSecret()) {
                    byte[] ciphertext = KemInputs.concat(inner.ciphertext(), ctX);
                    return new KemEncapsulation(ciphertext, combine(ssM, ssX, ctX, x25519Public));
                }
            }
        } finally {
            Arrays.fill(m, (byte) 0);
            Arrays.fill(ephemeral, (byte) 0);
        }
    }

    @Override
    public SecretBytes decapsulate(KemPrivateKey privateKey, byte[] ciphertext) {
        KemInputs.requireOwnKey(algorithm, backend(), privateKey);
        KemInputs.requireLength(algorithm, "ciphertext", ciphertext, algorithm.ciphertextLength());
        Expanded keys = privateKey.backendKey(Expanded.class);
        byte[] ctM = Arrays.copyOfRange(ciphertext, 0, ML_KEM_CIPHERTEXT);
        byte[] ctX = Arrays.copyOfRange(ciphertext, ML_KEM_CIPHERTEXT, ML_KEM_CIPHERTEXT + 32);
        try (SecretBytes ssM = mlKem.decapsulate(keys.mlKemPrivate, ctM)) {
            SecretBytes ssX;
            try {
                ssX = X25519.agree(keys.x25519Private, ctX);
            } catch (InvalidPublicKeyException e) {
                throw new InvalidCiphertextException("X-Wing ciphertext carries a small-order X25519 point:"
                    + " the peer sent a forged ciphertext", e);
            }
            try (ssX) {
                return combine(ssM, ssX, ctX, keys.x25519Public);
            }
        }
    }

    @Override
    public void checkPublicKey(byte[] publicKey) {
        KemInputs.requireLength(algorithm, "public key", publicKey, algorithm.publicKeyLength());
        mlKem.checkPublicKey(Arrays.copyOfRange(publicKey, 0, ML_KEM_PUBLIC));
    }

    @Override
    public KemPrivateKey importPrivateKey(byte[] encoded) {
        KemInputs.requireLength(algorithm, "private key (seed)", encoded, algorithm.privateKeyLength());
        return deriveKeyPair(encoded).privateKey();
    }

    private Expanded expand(byte[] seed) {
        byte[] expanded = new byte[96];
        SHAKEDigest shake = new SHAKEDigest(256);
        shake.update(seed, 0, seed.length);
        shake.doFinal(expanded, 0, expanded.length);
        byte[] mlKemSeed = Arrays.copyOfRange(expanded, 0, 64);
        SecretBytes x25519Private = SecretBytes.wrap(Arrays.copyOfRange(expanded, 64, 96));
        Arrays.fill(expanded, (byte) 0);
        try {
            KemKeyPair mlKemPair = mlKem.deriveKeyPair(mlKemSeed);
            return new Expanded(mlKemPair.privateKey(), mlKemPair.publicKey(), x25519Private, X25519.publicKey(x25519Private));
        } finally {
            Arrays.fill(mlKemSeed, (byte) 0);
        }
    }

    private static SecretBytes combine(SecretBytes ssM, SecretBytes ssX, byte[] ctX, byte[] pkX) {
        MessageDigest sha3 = MlKemKeyChecks.sha3_256();
        sha3.update(ssM.bytes());
        sha3.update(ssX.bytes());
        sha3.update(ctX);
        sha3.update(pkX);
        sha3.update(LABEL);
        return SecretBytes.wrap(sha3.digest());
    }

    /** The expanded private key: ML-KEM-768 key, X25519 scalar and X25519 public key; destroyed with the X-Wing key. */
    private record Expanded(KemPrivateKey mlKemPrivate, byte[] mlKemPublic, SecretBytes x25519Private, byte[] x25519Public)
        implements Destroyable {
        @Override
        public void destroy() {
            mlKemPrivate.destroy();
            x25519Private.destroy();
        }

        @Override
        public boolean isDestroyed() {
            return x25519Private.isDestroyed();
        }

        @Override
        public String toString() {
            return "X-Wing expanded key";
        }
    }

    @Override
    public String toString() {
        return algorithm.id() + " on " + backend().id() + " (composed)";
    }
}
