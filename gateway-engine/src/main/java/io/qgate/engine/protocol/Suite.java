package io.qgate.engine.protocol;

import io.qgate.crypto.aead.AeadAlgorithm;
import io.qgate.crypto.kem.KemAlgorithm;
import io.qgate.crypto.sig.SignatureAlgorithm;
import java.util.Locale;

/**
 * A cipher suite: handshake KEM, handshake signature, data AEAD; the hash family is SHA3 for all
 * (section 2 of {@code docs/PROTOCOL.md}). On the wire a suite is its one-byte {@link #id()}.
 */
public enum Suite {
    /** The default: ML-KEM-768 + ML-DSA-65 + AES-256-GCM. */
    MLKEM768_MLDSA65_AES256GCM(1, "mlkem768-mldsa65-aes256gcm-sha3",
            KemAlgorithm.ML_KEM_768, SignatureAlgorithm.ML_DSA_65, AeadAlgorithm.AES_256_GCM),
    /** CNSA 2.0 level: ML-KEM-1024 + ML-DSA-87 + AES-256-GCM. */
    MLKEM1024_MLDSA87_AES256GCM(2, "mlkem1024-mldsa87-aes256gcm-sha3",
            KemAlgorithm.ML_KEM_1024, SignatureAlgorithm.ML_DSA_87, AeadAlgorithm.AES_256_GCM),
    /** Hybrid: X-Wing (X25519 + ML-KEM-768) + ML-DSA-65 + AES-256-GCM. */
    XWING_MLDSA65_AES256GCM(3, "xwing-mldsa65-aes256gcm-sha3",
            KemAlgorithm.X25519_ML_KEM_768, SignatureAlgorithm.ML_DSA_65, AeadAlgorithm.AES_256_GCM),
    /** For hosts without AES hardware: ML-KEM-768 + ML-DSA-65 + ChaCha20-Poly1305. */
    MLKEM768_MLDSA65_CHACHA20POLY1305(4, "mlkem768-mldsa65-chacha20poly1305-sha3",
            KemAlgorithm.ML_KEM_768, SignatureAlgorithm.ML_DSA_65, AeadAlgorithm.CHACHA20_POLY1305);

    /** The suite used when nothing else is configured. */
    public static final Suite DEFAULT = MLKEM768_MLDSA65_AES256GCM;
    /** Bits of {@code allowed_suites} that may be set: one per defined suite id. */
    public static final int VALID_MASK = 0b1_1110;

    private final int id;
    private final String suiteName;
    private final KemAlgorithm kem;
    private final SignatureAlgorithm signature;
    private final AeadAlgorithm aead;

    Suite(int id, String suiteName, KemAlgorithm kem, SignatureAlgorithm signature, AeadAlgorithm aead) {
        this.id = id;
        this.suiteName = suiteName;
        this.kem = kem;
        this.signature = signature;
        this.aead = aead;
    }

    /** The wire id. */
    public int id() {
        return id;
    }

    /** The name used in configuration, for example {@code mlkem768-mldsa65-aes256gcm-sha3}. */
    public String suiteName() {
        return suiteName;
    }

    public KemAlgorithm kem() {
        return kem;
    }

    public SignatureAlgorithm signature() {
        return signature;
    }

    public AeadAlgorithm aead() {
        return aead;
    }

    /** This suite's bit in an {@code allowed_suites} set. */
    public int bit() {
        return 1 << id;
    }

    /** Whether the bit set {@code allowedSuites} contains this suite. */
    public boolean isIn(int allowedSuites) {
        return (allowedSuites & bit()) != 0;
    }

    /** The suite with wire id {@code id}, or {@code null} if there is none. */
    public static Suite fromId(int id) {
        for (Suite suite : values()) {
            if (suite.id == id) {
                return suite;
            }
        }
        return null;
    }

    /**
     * The suite named {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the known suites if there is none
     */
    public static Suite fromName(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (Suite suite : values()) {
            if (suite.suiteName.equals(wanted)) {
                return suite;
            }
        }
        StringBuilder known = new StringBuilder();
        for (Suite suite : values()) {
            known.append(known.isEmpty() ? "" : ", ").append(suite.suiteName);
        }
        throw new IllegalArgumentException("unknown suite '" + name + "'; known suites: " + known);
    }

    /** The bit set holding every suite in {@code suites}. */
    public static int mask(Suite... suites) {
        int mask = 0;
        for (Suite suite : suites) {
            mask |= suite.bit();
        }
        return mask;
    }

    @Override
    public String toString() {
        return suiteName;
    }
}
