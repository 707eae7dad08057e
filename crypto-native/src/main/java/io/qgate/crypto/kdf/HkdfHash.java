package io.qgate.crypto.kdf;

import java.util.function.Supplier;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;

/** The hash functions qgate's {@link Hkdf} runs on. */
public enum HkdfHash {
    /** HKDF-SHA256: 32-byte PRK, at most 8160 bytes of output. */
    SHA256("HKDF-SHA256", 32, SHA256Digest::new),
    /** HKDF-SHA384: 48-byte PRK, at most 12240 bytes of output. */
    SHA384("HKDF-SHA384", 48, SHA384Digest::new);

    private final String jcaName;
    private final int hashLength;
    private final Supplier<Digest> bouncyCastleDigest;

    HkdfHash(String jcaName, int hashLength, Supplier<Digest> bouncyCastleDigest) {
        this.jcaName = jcaName;
        this.hashLength = hashLength;
        this.bouncyCastleDigest = bouncyCastleDigest;
    }

    /** The JCA {@code KDF} algorithm name, for example {@code HKDF-SHA256}. */
    public String jcaName() {
        return jcaName;
    }

    /** HashLen of RFC 5869: the PRK length and the shortest PRK accepted by expand. */
    public int hashLength() {
        return hashLength;
    }

    /** The longest output RFC 5869 allows: 255 * HashLen. */
    public int maxOutputLength() {
        return 255 * hashLength;
    }

    Digest newBouncyCastleDigest() {
        return bouncyCastleDigest.get();
    }
}
