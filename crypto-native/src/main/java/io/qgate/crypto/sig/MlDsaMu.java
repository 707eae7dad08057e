package io.qgate.crypto.sig;

import io.qgate.crypto.kdf.Shake256;
import java.util.Locale;
import java.util.function.Supplier;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.Xof;
import org.bouncycastle.crypto.digests.SHA224Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA3Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.digests.SHA512tDigest;
import org.bouncycastle.crypto.digests.SHAKEDigest;

/**
 * The ML-DSA message representative mu (FIPS 204 section 5 and 7): mu = SHAKE256(tr || M', 64)
 * with tr = SHAKE256(pk, 64), for the three forms of M' (pure, HashML-DSA pre-hash, internal).
 * Use with {@link MlDsaInternal}.
 */
public final class MlDsaMu {
    private MlDsaMu() {
    }

    /** The pre-hash functions of HashML-DSA (FIPS 204 section 5.4), named as in NIST ACVP. */
    public enum PreHash {
        SHA2_224("SHA2-224", 4, 28, SHA224Digest::new),
        SHA2_256("SHA2-256", 1, 32, SHA256Digest::new),
        SHA2_384("SHA2-384", 2, 48, SHA384Digest::new),
        SHA2_512("SHA2-512", 3, 64, SHA512Digest::new),
        SHA2_512_224("SHA2-512/224", 5, 28, () -> new SHA512tDigest(224)),
        SHA2_512_256("SHA2-512/256", 6, 32, () -> new SHA512tDigest(256)),
        SHA3_224("SHA3-224", 7, 28, () -> new SHA3Digest(224)),
        SHA3_256("SHA3-256", 8, 32, () -> new SHA3Digest(256)),
        SHA3_384("SHA3-384", 9, 48, () -> new SHA3Digest(384)),
        SHA3_512("SHA3-512", 10, 64, () -> new SHA3Digest(512)),
        SHAKE_128("SHAKE-128", 11, 32, () -> new SHAKEDigest(128)),
        SHAKE_256("SHAKE-256", 12, 64, () -> new SHAKEDigest(256));

        private final String acvpName;
        private final int oidLastArc;
        private final int outputLength;
        private final Supplier<Digest> digest;

        PreHash(String acvpName, int oidLastArc, int outputLength, Supplier<Digest> digest) {
            this.acvpName = acvpName;
            this.oidLastArc = oidLastArc;
            this.outputLength = outputLength;
            this.digest = digest;
        }

        /** Parses an ACVP name such as {@code SHA2-512/256} or {@code SHAKE-128}. */
        public static PreHash fromAcvpName(String name) {
            for (PreHash h : values()) {
                if (h.acvpName.equalsIgnoreCase(name.trim())) {
                    return h;
                }
            }
            throw new IllegalArgumentException("unknown HashML-DSA pre-hash function '" + name
                + "': use one of SHA2-224/256/384/512, SHA2-512/224, SHA2-512/256, SHA3-224/256/384/512, SHAKE-128, SHAKE-256");
        }

        /** DER encoding of the hash function's OID (2.16.840.1.101.3.4.2.x). */
        byte[] derOid() {
            return new byte[] {0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, (byte) oidLastArc};
        }

        byte[] hash(byte[] message) {
            Digest d = digest.get();
            d.update(message, 0, message.length);
            byte[] out = new byte[outputLength];
            if (d instanceof Xof xof) {
                xof.doFinal(out, 0, outputLength);
            } else {
                d.doFinal(out, 0);
            }
            return out;
        }

        @Override
        public String toString() {
            return acvpName.toLowerCase(Locale.ROOT);
        }
    }

    /** tr = SHAKE256(pk, 64), the public-key hash that every mu starts with. */
    public static byte[] publicKeyHash(byte[] publicKey) {
        return Shake256.hash(64, publicKey);
    }

    /** mu for pure ML-DSA: M' = 0 || |ctx| || ctx || M. */
    public static byte[] pure(byte[] publicKey, byte[] message, byte[] context) {
        return pureFromHash(publicKeyHash(publicKey), message, context);
    }

    /** {@link #pure} for a key whose hash tr is already known. */
    static byte[] pureFromHash(byte[] tr, byte[] message, byte[] context) {
        SignatureInputs.checkContext(context);
        return Shake256.hash(MlDsaInternal.MU_LENGTH, tr, new byte[] {0, (byte) context.length}, context, message);
    }

    /** mu for HashML-DSA: M' = 1 || |ctx| || ctx || OID(PH) || PH(M). */
    public static byte[] preHash(byte[] publicKey, byte[] message, byte[] context, PreHash hash) {
        SignatureInputs.checkContext(context);
        return Shake256.hash(MlDsaInternal.MU_LENGTH, publicKeyHash(publicKey),
            new byte[] {1, (byte) context.length}, context, hash.derOid(), hash.hash(message));
    }

    /** mu for the internal interface, where M' is the message itself. */
    public static byte[] internal(byte[] publicKey, byte[] message) {
        return Shake256.hash(MlDsaInternal.MU_LENGTH, publicKeyHash(publicKey), message);
    }
}
