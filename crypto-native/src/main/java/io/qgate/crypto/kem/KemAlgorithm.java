package io.qgate.crypto.kem;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The key encapsulation mechanisms qgate offers, with their wire sizes in bytes.
 *
 * <p>ML-KEM is FIPS 203. {@link #X25519_ML_KEM_768} is X-Wing (draft-connolly-cfrg-xwing-kem-06):
 * X25519 and ML-KEM-768 joined by a SHA3-256 combiner, with a 32-byte private seed.
 */
public enum KemAlgorithm {
    /** ML-KEM-512 (FIPS 203, security category 1). */
    ML_KEM_512("ml-kem-512", "ML-KEM-512", 2, 800, 768, 1632, 64, 32),
    /** ML-KEM-768 (FIPS 203, security category 3). */
    ML_KEM_768("ml-kem-768", "ML-KEM-768", 3, 1184, 1088, 2400, 64, 32),
    /** ML-KEM-1024 (FIPS 203, security category 5). */
    ML_KEM_1024("ml-kem-1024", "ML-KEM-1024", 4, 1568, 1568, 3168, 64, 32),
    /** X-Wing: X25519 + ML-KEM-768 with the SHA3-256 combiner of draft-connolly-cfrg-xwing-kem-06. */
    X25519_ML_KEM_768("x25519-ml-kem-768", "X-Wing", 3, 1216, 1120, 32, 32, 64);

    /** Every algorithm's shared secret is 32 bytes. */
    public static final int SHARED_SECRET_LENGTH = 32;

    private final String id;
    private final String standardName;
    private final int k;
    private final int publicKeyLength;
    private final int ciphertextLength;
    private final int privateKeyLength;
    private final int seedLength;
    private final int encapsulationRandomnessLength;

    KemAlgorithm(String id, String standardName, int k, int publicKeyLength, int ciphertextLength,
                 int privateKeyLength, int seedLength, int encapsulationRandomnessLength) {
        this.id = id;
        this.standardName = standardName;
        this.k = k;
        this.publicKeyLength = publicKeyLength;
        this.ciphertextLength = ciphertextLength;
        this.privateKeyLength = privateKeyLength;
        this.seedLength = seedLength;
        this.encapsulationRandomnessLength = encapsulationRandomnessLength;
    }

    /** The name used in configuration files and on the command line, e.g. {@code ml-kem-768}. */
    public String id() {
        return id;
    }

    /** The name in its standard: {@code ML-KEM-768} (also the JCA name) or {@code X-Wing}. */
    public String standardName() {
        return standardName;
    }

    /** Whether this is plain ML-KEM (FIPS 203) rather than the X-Wing hybrid. */
    public boolean isMlKem() {
        return this != X25519_ML_KEM_768;
    }

    /** The FIPS 203 module rank k (2, 3 or 4); for X-Wing that of its ML-KEM-768 part. */
    int rank() {
        return k;
    }

    /** Length of the public (encapsulation) key on the wire. */
    public int publicKeyLength() {
        return publicKeyLength;
    }

    /** Length of a ciphertext (encapsulation). */
    public int ciphertextLength() {
        return ciphertextLength;
    }

    /** Length of the shared secret: always 32. */
    public int sharedSecretLength() {
        return SHARED_SECRET_LENGTH;
    }

    /**
     * Length of an imported private key: the expanded FIPS 203 decapsulation key dk for ML-KEM,
     * the 32-byte seed for X-Wing.
     */
    public int privateKeyLength() {
        return privateKeyLength;
    }

    /** Length of the key generation seed: d||z (64) for ML-KEM, 32 for X-Wing. */
    public int seedLength() {
        return seedLength;
    }

    /** Length of the encapsulation randomness: m (32) for ML-KEM, eseed (64) for X-Wing. */
    public int encapsulationRandomnessLength() {
        return encapsulationRandomnessLength;
    }

    /** Parses a configuration name such as {@code ml-kem-768}. */
    public static KemAlgorithm fromId(String id) {
        String wanted = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
        for (KemAlgorithm a : values()) {
            if (a.id.equals(wanted)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown KEM algorithm '" + id + "': use one of "
            + Arrays.stream(values()).map(KemAlgorithm::id).collect(Collectors.joining(", ")));
    }
}
