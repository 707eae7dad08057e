package io.qgate.crypto.sig;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The post-quantum signature algorithms qgate signs and verifies with, and their sizes on the wire.
 *
 * <p>Public keys, private keys and signatures are the raw encodings of FIPS 204 (ML-DSA),
 * FIPS 205 (SLH-DSA) and the Falcon round-3 specification. Falcon signatures vary in length:
 * {@link #signatureLength()} is then the largest a signer may produce.
 */
public enum SignatureAlgorithm {
    /** ML-DSA-44 (FIPS 204, category 2). */
    ML_DSA_44("ml-dsa-44", 1312, 2420, 32, 2560, Family.ML_DSA),
    /** ML-DSA-65 (FIPS 204, category 3). */
    ML_DSA_65("ml-dsa-65", 1952, 3309, 32, 4032, Family.ML_DSA),
    /** ML-DSA-87 (FIPS 204, category 5). */
    ML_DSA_87("ml-dsa-87", 2592, 4627, 32, 4896, Family.ML_DSA),
    /** SLH-DSA-SHAKE-128s (FIPS 205): small signatures, slow signing. */
    SLH_DSA_SHAKE_128S("slh-dsa-shake-128s", 32, 7856, 48, 64, Family.SLH_DSA),
    /** SLH-DSA-SHAKE-128f (FIPS 205): fast signing, large signatures. */
    SLH_DSA_SHAKE_128F("slh-dsa-shake-128f", 32, 17088, 48, 64, Family.SLH_DSA),
    /** SLH-DSA-SHAKE-256f (FIPS 205, category 5). */
    SLH_DSA_SHAKE_256F("slh-dsa-shake-256f", 64, 49856, 96, 128, Family.SLH_DSA),
    /** Falcon-512 (round 3, compressed signatures of variable length). */
    FALCON_512("falcon-512", 897, 752, 0, 1281, Family.FALCON);

    /** The algorithm families, which differ in what their backends can do. */
    public enum Family { ML_DSA, SLH_DSA, FALCON }

    private final String id;
    private final int publicKeyLength;
    private final int signatureLength;
    private final int seedLength;
    private final int expandedPrivateKeyLength;
    private final Family family;

    SignatureAlgorithm(String id, int publicKeyLength, int signatureLength, int seedLength,
                       int expandedPrivateKeyLength, Family family) {
        this.id = id;
        this.publicKeyLength = publicKeyLength;
        this.signatureLength = signatureLength;
        this.seedLength = seedLength;
        this.expandedPrivateKeyLength = expandedPrivateKeyLength;
        this.family = family;
    }

    /** The name used in configuration files and certificates, such as {@code ml-dsa-65}. */
    public String id() {
        return id;
    }

    /** Length in bytes of an encoded public key. */
    public int publicKeyLength() {
        return publicKeyLength;
    }

    /** Length in bytes of a signature; for Falcon the maximum length. */
    public int signatureLength() {
        return signatureLength;
    }

    /** Whether every signature has exactly {@link #signatureLength()} bytes. */
    public boolean hasFixedSignatureLength() {
        return family != Family.FALCON;
    }

    /**
     * Length of the key-generation seed: xi (32 bytes) for ML-DSA, SK.seed || SK.prf || PK.seed
     * (3n bytes) for SLH-DSA, and 0 for Falcon, which has no standard seed.
     */
    public int seedLength() {
        return seedLength;
    }

    /** Length of the expanded private key: FIPS 204 skEncode, FIPS 205 SK, or Falcon's encoding. */
    public int expandedPrivateKeyLength() {
        return expandedPrivateKeyLength;
    }

    /** The family this algorithm belongs to. */
    public Family family() {
        return family;
    }

    /** Parses an id such as {@code ml-dsa-65}, in any case. */
    public static SignatureAlgorithm fromId(String id) {
        String wanted = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
        for (SignatureAlgorithm a : values()) {
            if (a.id.equals(wanted)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown signature algorithm '" + id + "': use one of "
            + Arrays.stream(values()).map(SignatureAlgorithm::id).collect(Collectors.joining(", ")));
    }
}
