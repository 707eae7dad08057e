package io.qgate.crypto.kem;

import io.qgate.crypto.InvalidPrivateKeyException;
import io.qgate.crypto.InvalidPublicKeyException;
import io.qgate.crypto.ConstantTime;
import io.qgate.crypto.CryptoException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The FIPS 203 §7.2 and §7.3 input checks on ML-KEM keys, for backends that do not run them
 * themselves: the encapsulation key modulus check and the decapsulation key hash check.
 */
final class MlKemKeyChecks {
    private static final int Q = 3329;

    private MlKemKeyChecks() {
    }

    /**
     * FIPS 203 §7.2 modulus check: every 12-bit coefficient of the 384k-byte ByteEncode_12 part of
     * ek is below q, so ByteEncode_12(ByteDecode_12(ek)) == ek.
     */
    static void checkModulus(KemAlgorithm algorithm, byte[] ek) {
        int end = 384 * algorithm.rank();
        for (int i = 0; i < end; i += 3) {
            int b0 = ek[i] & 0xff;
            int b1 = ek[i + 1] & 0xff;
            int b2 = ek[i + 2] & 0xff;
            int c0 = b0 | (b1 & 0x0f) << 8;
            int c1 = b1 >>> 4 | b2 << 4;
            if (c0 >= Q || c1 >= Q) {
                throw modulusFailure(algorithm, null);
            }
        }
    }

    static InvalidPublicKeyException modulusFailure(KemAlgorithm algorithm, Throwable cause) {
        return new InvalidPublicKeyException(algorithm.id() + " public key fails the FIPS 203 modulus check"
            + " (a coefficient is not below q = 3329): the peer sent a corrupted or forged key", cause);
    }

    /** FIPS 203 §7.3 hash check: the H(ek) stored in dk matches the ek stored in dk. */
    static void checkHash(KemAlgorithm algorithm, byte[] dk) {
        int k = algorithm.rank();
        int ekStart = 384 * k;
        int ekEnd = 768 * k + 32;
        byte[] computed = sha3_256().digest(Arrays.copyOfRange(dk, ekStart, ekEnd));
        byte[] stored = Arrays.copyOfRange(dk, ekEnd, ekEnd + 32);
        if (!ConstantTime.equals(computed, stored)) {
            throw hashFailure(algorithm, null);
        }
    }

    static InvalidPrivateKeyException hashFailure(KemAlgorithm algorithm, Throwable cause) {
        return new InvalidPrivateKeyException(algorithm.id() + " private key fails the FIPS 203 hash check"
            + " (its stored H(ek) does not match its public key): the stored key is corrupted", cause);
    }

    /** The encapsulation key ek embedded in an expanded decapsulation key dk. */
    static byte[] embeddedPublicKey(KemAlgorithm algorithm, byte[] dk) {
        int k = algorithm.rank();
        return Arrays.copyOfRange(dk, 384 * k, 768 * k + 32);
    }

    static MessageDigest sha3_256() {
        try {
            return MessageDigest.getInstance("SHA3-256");
        } catch (NoSuchAlgorithmException e) {
            throw new CryptoException("this JDK has no SHA3-256: run qgate on JDK 25 or newer", e);
        }
    }
}
