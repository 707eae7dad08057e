package io.qgate.crypto.kem;

import io.qgate.crypto.Backend;
import io.qgate.crypto.BackendUnavailableException;
import io.qgate.crypto.SecretBytes;
import io.qgate.ffm.NativeLibraryUnavailableException;
import io.qgate.ffm.oqs.OqsKem;

/**
 * ML-KEM on liboqs through {@link OqsKem}.
 *
 * <p>liboqs's ML-KEM secret key is the FIPS 203 expanded dk. Older liboqs releases do not run the
 * FIPS 203 input checks, so qgate runs the modulus check on every public key and the hash check on
 * every imported private key itself before handing them over. Deterministic key generation and
 * encapsulation need {@code OQS_KEM_keypair_derand} / {@code OQS_KEM_encaps_derand}; without them
 * those calls fail with {@link BackendUnavailableException}.
 */
final class OqsMlKem extends SeededKem {
    private final KemAlgorithm algorithm;
    private final OqsKem oqs;

    OqsMlKem(KemAlgorithm algorithm) {
        super(algorithm, Backend.LIBOQS);
        if (!algorithm.isMlKem()) {
            throw new BackendUnavailableException("the liboqs backend does not offer " + algorithm.id() + ": use jdk or bouncycastle");
        }
        this.algorithm = algorithm;
        try {
            this.oqs = OqsKem.open(algorithm.standardName());
        } catch (NativeLibraryUnavailableException e) {
            throw new BackendUnavailableException(e.getMessage(), e);
        }
        if (oqs.publicKeyLength() != algorithm.publicKeyLength() || oqs.secretKeyLength() != algorithm.privateKeyLength()
            || oqs.ciphertextLength() != algorithm.ciphertextLength() || oqs.sharedSecretLength() != algorithm.sharedSecretLength()) {
            oqs.close();
            throw new BackendUnavailableException("liboqs reports lengths for " + algorithm.standardName()
                + " that are not those of FIPS 203: this liboqs build is not usable, install liboqs 0.10 or newer");
        }
    }

    @Override
    public KemKeyPair generateKeyPair() {
        if (!oqs.hasDerandomizedKeypair()) {
            byte[] publicKey = new byte[algorithm.publicKeyLength()];
            byte[] secretKey = new byte[algorithm.privateKeyLength()];
            oqs.keypair(publicKey, secretKey);
            return new KemKeyPair(publicKey, new KemPrivateKey(algorithm, Backend.LIBOQS, null, SecretBytes.wrap(secretKey), null));
        }
        return super.generateKeyPair();
    }

    @Override
    public KemKeyPair deriveKeyPair(byte[] seed) {
        KemInputs.requireLength(algorithm, "seed (d||z)", seed, algorithm.seedLength());
        if (!oqs.hasDerandomizedKeypair() || oqs.keypairSeedLength() != algorithm.seedLength()) {
            throw new BackendUnavailableException("this liboqs has no deterministic " + algorithm.standardName()
                + " key generation (OQS_KEM_keypair_derand): install a newer liboqs or use the jdk or bouncycastle backend");
        }
        byte[] publicKey = new byte[algorithm.publicKeyLength()];
        byte[] secretKey = new byte[algorithm.privateKeyLength()];
        oqs.keypair(publicKey, secretKey, seed);
        return new KemKeyPair(publicKey,
            new KemPrivateKey(algorithm, Backend.LIBOQS, SecretBytes.copyOf(seed), SecretBytes.wrap(secretKey), null));
    }

    @Override
    public KemEncapsulation encapsulate(byte[] publicKey) {
        checkPublicKey(publicKey);
        byte[] ciphertext = new byte[algorithm.ciphertextLength()];
        byte[] secret = new byte[algorithm.sharedSecretLength()];
        oqs.encaps(ciphertext, secret, publicKey);
        return new KemEncapsulation(ciphertext, SecretBytes.wrap(secret));
    }

    @Override
    public KemEncapsulation encapsulate(byte[] publicKey, byte[] randomness) {
        checkPublicKey(publicKey);
        KemInputs.requireLength(algorithm, "encapsulation randomness m", randomness, algorithm.encapsulationRandomnessLength());
        if (!oqs.hasDerandomizedEncaps() || oqs.encapsSeedLength() != randomness.length) {
            throw new BackendUnavailableException("this liboqs has no deterministic " + algorithm.standardName()
                + " encapsulation (OQS_KEM_encaps_derand): install a newer liboqs or use the jdk or bouncycastle backend");
        }
        byte[] ciphertext = new byte[algorithm.ciphertextLength()];
        byte[] secret = new byte[algorithm.sharedSecretLength()];
        oqs.encaps(ciphertext, secret, publicKey, randomness);
        return new KemEncapsulation(ciphertext, SecretBytes.wrap(secret));
    }

    @Override
    public SecretBytes decapsulate(KemPrivateKey privateKey, byte[] ciphertext) {
        KemInputs.requireOwnKey(algorithm, Backend.LIBOQS, privateKey);
        KemInputs.requireLength(algorithm, "ciphertext", ciphertext, algorithm.ciphertextLength());
        byte[] secret = new byte[algorithm.sharedSecretLength()];
        oqs.decaps(secret, ciphertext, privateKey.encoded().bytes());
        return SecretBytes.wrap(secret);
    }

    @Override
    public void checkPublicKey(byte[] publicKey) {
        KemInputs.requireLength(algorithm, "public key", publicKey, algorithm.publicKeyLength());
        MlKemKeyChecks.checkModulus(algorithm, publicKey);
    }

    @Override
    public KemPrivateKey importPrivateKey(byte[] encoded) {
        KemInputs.requireLength(algorithm, "private key (expanded dk)", encoded, algorithm.privateKeyLength());
        MlKemKeyChecks.checkHash(algorithm, encoded);
        return new KemPrivateKey(algorithm, Backend.LIBOQS, null, SecretBytes.copyOf(encoded), null);
    }

}
