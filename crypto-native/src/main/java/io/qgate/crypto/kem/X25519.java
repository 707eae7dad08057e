package io.qgate.crypto.kem;

import io.qgate.crypto.KeyErasure;
import io.qgate.crypto.InvalidPublicKeyException;
import io.qgate.crypto.BackendUnavailableException;
import io.qgate.crypto.CryptoException;
import io.qgate.crypto.SecretBytes;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;

/**
 * X25519 (RFC 7748) on raw 32-byte keys, through the JDK's XDH provider.
 *
 * <p>Encodings follow RFC 7748 §5: a private key is 32 bytes that the JDK clamps; a public key is
 * a little-endian u-coordinate whose most significant bit is masked, and a non-canonical u (at or
 * above p = 2^255 - 19) is reduced modulo p.
 *
 * <p>Choice made here (RFC 7748 §6.1 permits it): {@link #agree} rejects an all-zero shared
 * secret, which a peer causes by sending a small-order point, with
 * {@link InvalidPublicKeyException}. The check runs in constant time over the result.
 *
 * <p>The JDK's own key objects cannot be wiped ({@code XDHPrivateKeyImpl} does not implement
 * {@code destroy}); they are dropped right after use. Thread-safe: no shared state.
 */
public final class X25519 {
    /** Length of private keys, public keys and shared secrets. */
    public static final int KEY_LENGTH = 32;

    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    private static final byte[] BASE_POINT = basePoint();
    private static final SecureRandom RANDOM = new SecureRandom();

    private X25519() {
    }

    /** A new random private key. */
    public static SecretBytes generatePrivateKey() {
        byte[] key = new byte[KEY_LENGTH];
        RANDOM.nextBytes(key);
        return SecretBytes.wrap(key);
    }

    /** The public key X25519(k, 9) of a private key. */
    public static byte[] publicKey(SecretBytes privateKey) {
        return publicKey(privateKey.bytes());
    }

    /** The public key X25519(k, 9) of a raw 32-byte private key. */
    public static byte[] publicKey(byte[] privateKey) {
        try (SecretBytes u = agree(privateKey, BASE_POINT)) {
            return u.copy();
        }
    }

    /** The shared secret X25519(k, peer u). */
    public static SecretBytes agree(SecretBytes privateKey, byte[] peerPublicKey) {
        return agree(privateKey.bytes(), peerPublicKey);
    }

    /**
     * The shared secret X25519(k, peer u).
     *
     * @throws IllegalArgumentException if a key is not 32 bytes
     * @throws InvalidPublicKeyException if the peer key is a small-order point (all-zero secret)
     */
    public static SecretBytes agree(byte[] privateKey, byte[] peerPublicKey) {
        requireLength("private key", privateKey);
        requireLength("public key", peerPublicKey);
        byte[] secret;
        try {
            KeyFactory factory = KeyFactory.getInstance("X25519");
            byte[] scalar = privateKey.clone();
            PrivateKey priv = factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
            Arrays.fill(scalar, (byte) 0);
            PublicKey pub = factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, decodeU(peerPublicKey)));
            KeyAgreement agreement = KeyAgreement.getInstance("X25519");
            agreement.init(priv);
            agreement.doPhase(pub, true);
            secret = agreement.generateSecret();
            KeyErasure.destroyBackendKey(priv);
        } catch (InvalidKeyException e) {
            // the JDK refuses a small-order point itself ("Point has small order")
            throw smallOrder(e);
        } catch (NoSuchAlgorithmException e) {
            throw new BackendUnavailableException("this JDK has no X25519: run qgate on JDK 11 or newer", e);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("the JDK could not compute an X25519 shared secret", e);
        }
        int bits = 0;
        for (byte b : secret) {
            bits |= b;
        }
        if (bits == 0) {
            throw smallOrder(null);
        }
        return SecretBytes.wrap(secret);
    }

    private static InvalidPublicKeyException smallOrder(Throwable cause) {
        return new InvalidPublicKeyException("X25519 public key is a small-order point that gives an all-zero shared secret"
            + " (RFC 7748 section 6.1): the peer sent a forged key", cause);
    }

    /** RFC 7748 decodeUCoordinate: little-endian, top bit masked, reduced modulo p. */
    static BigInteger decodeU(byte[] u) {
        byte[] bigEndian = new byte[KEY_LENGTH];
        for (int i = 0; i < KEY_LENGTH; i++) {
            bigEndian[i] = u[KEY_LENGTH - 1 - i];
        }
        bigEndian[0] &= 0x7f;
        return new BigInteger(1, bigEndian).mod(P);
    }

    private static void requireLength(String what, byte[] key) {
        if (key == null || key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("X25519 " + what + " must be 32 bytes but is "
                + (key == null ? "missing" : key.length + " bytes") + ": pass a raw RFC 7748 key");
        }
    }


    private static byte[] basePoint() {
        byte[] u = new byte[KEY_LENGTH];
        u[0] = 9;
        return u;
    }
}
