package io.qgate.crypto.aead;

import io.qgate.crypto.JcaSecretKey;
import io.qgate.crypto.Backend;
import io.qgate.crypto.CryptoException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;

/**
 * {@link AeadCipher} on the JDK's SunJCE provider ({@code AES/GCM/NoPadding} and
 * {@code ChaCha20-Poly1305}), which has CPU intrinsics for AES-GCM (AES-NI, AVX-512 VAES with
 * VPCLMULQDQ) and ChaCha20.
 *
 * <p>AES-256-GCM runs on {@link JdkAesGcm}, SunJCE's AES-GCM pieces without the JCA, when that is
 * available here (the usual case, with qgate's JVM flags); then nothing below about the JCA's
 * per-packet allocation and in-place decryption applies to it, and the buffers are handled the
 * same way. Otherwise, and for ChaCha20-Poly1305, the JCA {@link Cipher}:
 *
 * <h2>Buffers</h2>
 * SunJCE works fastest on {@code byte[]} (its AES-GCM intrinsic takes arrays), so:
 * <ul>
 *   <li>{@link #seal}: a buffer that is a heap segment over a {@code byte[]} is encrypted in place
 *       in that array. Any other buffer (native memory) is copied into a per-cipher heap scratch
 *       array, encrypted there and copied back.</li>
 *   <li>{@link #open} decrypts <em>out of place</em> into a per-cipher plaintext scratch array
 *       (from the caller's array, or from the input scratch for a native buffer) and copies the
 *       plaintext into the buffer only after the tag has verified. SunJCE's in-place AES-GCM
 *       decryption is about half as fast at 9000 bytes, and on a tag mismatch it leaves the
 *       unauthenticated plaintext in the array (checked on JDK 25.0.3).</li>
 * </ul>
 * Why not {@link MemorySegment#asByteBuffer()} for native buffers: for direct buffers SunJCE's
 * AES-GCM copies 768-byte chunks through two arrays it allocates on every call. A JMH smoke run
 * on the development machine (AMD EPYC with AVX-512 VAES, JDK 25.0.3, 1 fork, loaded, so about
 * ±20%) sealing with AES-256-GCM measured, in packets/s: 9000 bytes direct 0.30 M vs copied
 * through a scratch array 0.91 M (array in place 0.85 M); 16384 bytes 0.24 M vs 0.59 M (0.63 M);
 * 1420 bytes 1.31 M vs 1.72 M; 64 bytes no difference. ChaCha20-Poly1305 showed no difference
 * between the three. Decrypting at 9000 bytes: in place 0.50 M, out of place plus copy 0.95 M.
 *
 * <p>Associated data not on a {@code byte[]} is copied to a scratch array too. The scratch
 * arrays grow to the largest packet seen and are wiped by {@link #close()}; between packets they
 * hold the last packet's data, which is also in the caller's buffer.
 *
 * <h2>Allocation</h2>
 * {@link JdkAesGcm} allocates nothing per packet, forged ones included. The JCA forces a few
 * allocations per packet that no caller can avoid: a {@link GCMParameterSpec} or
 * {@link IvParameterSpec} and the nonce copy each makes, the key copy that {@link Cipher#init}
 * takes through {@link SecretKey#getEncoded()}, and SunJCE's per-init engine objects (GHASH and GCTR state, or the ChaCha20 AEAD engine). On a bad tag SunJCE also
 * builds an {@link AEADBadTagException} with a stack trace. This backend adds nothing per packet
 * beyond those. JMH {@code -prof gc} measured 0.9 to 1.1 KB allocated per packet for AES-256-GCM
 * (64 to 9000 bytes, either buffer kind), all of it inside the JCA; the OpenSSL backend allocates
 * nothing.
 *
 * <h2>Nonce reuse</h2>
 * SunJCE refuses to initialise for encryption with the key and nonce of its previous
 * initialisation (for AES-GCM: of its previous encryption; for ChaCha20-Poly1305: of its previous
 * initialisation in either direction). Every packet has a fresh nonce, so this never trips in
 * the data plane; when it does, {@link #seal} throws {@link IllegalArgumentException}.
 *
 * <h2>Key erasure</h2>
 * The key is held in a {@link JcaSecretKey} whose array {@link #close()} zeroes. SunJCE keeps copies
 * of its own (the last encryption key in GCM, the AES key schedule, the ChaCha20 key and state);
 * {@link #close()} overwrites them by re-keying the {@link Cipher} with an all-zero key, which
 * makes SunJCE wipe and replace them.
 */
final class JdkAeadCipher implements AeadCipher {
    static final String PROVIDER = "SunJCE";
    private static final int TAG_BITS = AeadAlgorithm.TAG_LENGTH * 8;
    private static final byte[] EMPTY = new byte[0];

    private final AeadAlgorithm algorithm;
    /** The JCA cipher, or null when {@link #gcm} does the work. */
    private final Cipher cipher;
    /** AES-256-GCM without the JCA, or null (ChaCha20-Poly1305, or {@link JdkAesGcm} unavailable). */
    private final JdkAesGcm gcm;
    private final JcaSecretKey key;
    /** The array {@link #key} owns, kept only so a test can see that {@link #close()} zeroes it. */
    private final byte[] keyBytes;
    private final byte[] nonce = new byte[AeadAlgorithm.NONCE_LENGTH];
    /** Native buffers are copied here to be sealed, or to be opened from. */
    private byte[] inputScratch = EMPTY;
    /** {@link #open} decrypts into this array and copies back only plaintext that verified. */
    private byte[] plain = EMPTY;
    private byte[] aadScratch = EMPTY;
    private boolean closed;

    /**
     * Takes ownership of {@code ownedKey} (a 32-byte copy): it is wiped by {@link #close()}.
     * AES-256-GCM runs on {@link JdkAesGcm} when it is available here, else on the JCA.
     */
    JdkAeadCipher(AeadAlgorithm algorithm, byte[] ownedKey) {
        this.algorithm = algorithm;
        this.keyBytes = ownedKey;
        this.key = JcaSecretKey.owning(ownedKey, keyAlgorithm(algorithm));
        if (algorithm == AeadAlgorithm.AES_256_GCM && JdkAesGcm.unavailableReason() == null) {
            this.gcm = new JdkAesGcm(ownedKey);
            this.cipher = null;
            return;
        }
        this.gcm = null;
        try {
            Cipher validated = newCipher(algorithm);
            // This validates the key and, for AES-GCM, expands the key schedule once (SunJCE caches
            // it while the key stays the same); decrypt mode does not count for GCM's nonce-reuse
            // check. ChaCha20-Poly1305 remembers the nonce of any previous initialisation, so a
            // first seal with the all-zero nonce (a single-use handshake key) would be refused:
            // it gets a fresh Cipher with no history instead.
            validated.init(Cipher.DECRYPT_MODE, key, spec(algorithm, nonce));
            this.cipher = algorithm == AeadAlgorithm.CHACHA20_POLY1305 ? newCipher(algorithm) : validated;
        } catch (GeneralSecurityException e) {
            key.destroy();
            throw new CryptoException("JDK " + algorithm.id() + " refused the key: " + e.getMessage(), e);
        }
    }

    /** Whether this cipher runs on {@link JdkAesGcm} rather than the JCA. */
    boolean isDirect() {
        return gcm != null;
    }

    static Cipher newCipher(AeadAlgorithm algorithm)
            throws NoSuchAlgorithmException, NoSuchProviderException, NoSuchPaddingException {
        return Cipher.getInstance(transformation(algorithm), PROVIDER);
    }

    static String transformation(AeadAlgorithm algorithm) {
        return switch (algorithm) {
            case AES_256_GCM -> "AES/GCM/NoPadding";
            case CHACHA20_POLY1305 -> "ChaCha20-Poly1305";
        };
    }

    private static String keyAlgorithm(AeadAlgorithm algorithm) {
        return switch (algorithm) {
            case AES_256_GCM -> "AES";
            case CHACHA20_POLY1305 -> "ChaCha20";
        };
    }

    /** The JCA parameter object; both constructors copy {@code nonce}, so the caller may reuse the array. */
    private static AlgorithmParameterSpec spec(AeadAlgorithm algorithm, byte[] nonce) {
        return algorithm == AeadAlgorithm.AES_256_GCM
            ? new GCMParameterSpec(TAG_BITS, nonce)
            : new IvParameterSpec(nonce);
    }

    @Override
    public int seal(MemorySegment nonceSegment, MemorySegment aad, MemorySegment buffer, int plaintextLength) {
        AeadArgs.checkNotClosed(closed, algorithm);
        AeadArgs.checkNonce(nonceSegment);
        int aadLength = AeadArgs.aadLength(aad);
        AeadArgs.checkSeal(buffer, plaintextLength);

        MemorySegment.copy(nonceSegment, ValueLayout.JAVA_BYTE, 0, nonce, 0, AeadAlgorithm.NONCE_LENGTH);
        byte[] aadArray = aadArray(aad, aadLength);
        int aadOffset = offsetIn(aad, aadArray);
        byte[] data = input(buffer, plaintextLength, plaintextLength + AeadAlgorithm.TAG_LENGTH);
        int offset = offsetIn(buffer, data);
        int sealed;
        if (gcm != null) {
            gcm.seal(nonce, aadArray, aadOffset, aadLength, data, offset, plaintextLength);
            sealed = plaintextLength + AeadAlgorithm.TAG_LENGTH;
        } else {
            init(Cipher.ENCRYPT_MODE);
            try {
                if (aadLength > 0) {
                    cipher.updateAAD(aadArray, aadOffset, aadLength);
                }
                sealed = cipher.doFinal(data, offset, plaintextLength, data, offset);
            } catch (GeneralSecurityException e) {
                throw new CryptoException("JDK " + algorithm.id() + " Cipher.doFinal (seal) failed: " + e.getMessage(), e);
            }
            if (sealed != plaintextLength + AeadAlgorithm.TAG_LENGTH) {
                throw new CryptoException("JDK " + algorithm.id() + " sealed " + plaintextLength + " bytes into "
                    + sealed + " instead of " + (plaintextLength + AeadAlgorithm.TAG_LENGTH));
            }
        }
        if (data == inputScratch) {
            MemorySegment.copy(data, 0, buffer, ValueLayout.JAVA_BYTE, 0, sealed);
        }
        return sealed;
    }

    @Override
    public int open(MemorySegment nonceSegment, MemorySegment aad, MemorySegment buffer, int ciphertextLength) {
        int opened = openOrReject(nonceSegment, aad, buffer, ciphertextLength);
        if (opened == REJECTED) {
            throw ciphertextLength < AeadAlgorithm.TAG_LENGTH ? AeadArgs.truncated(ciphertextLength) : AeadArgs.badTag(algorithm);
        }
        return opened;
    }

    /**
     * {@inheritDoc} With the direct AES-GCM a forged packet costs no allocation; through the JCA,
     * SunJCE still builds its exception.
     */
    @Override
    public int openOrReject(MemorySegment nonceSegment, MemorySegment aad, MemorySegment buffer, int ciphertextLength) {
        AeadArgs.checkNotClosed(closed, algorithm);
        AeadArgs.checkNonce(nonceSegment);
        int aadLength = AeadArgs.aadLength(aad);
        AeadArgs.checkOpen(buffer, ciphertextLength);
        if (ciphertextLength < AeadAlgorithm.TAG_LENGTH) {
            AeadArgs.wipe(buffer, ciphertextLength);
            return REJECTED;
        }

        // Decrypt out of place into the plaintext scratch and copy back only what verified: SunJCE's
        // in-place AES-GCM decryption is about half as fast, and it leaves unauthenticated plaintext
        // in the array when the tag does not match; the direct AES-GCM cannot decrypt in place.
        MemorySegment.copy(nonceSegment, ValueLayout.JAVA_BYTE, 0, nonce, 0, AeadAlgorithm.NONCE_LENGTH);
        byte[] aadArray = aadArray(aad, aadLength);
        int aadOffset = offsetIn(aad, aadArray);
        byte[] in = input(buffer, ciphertextLength, ciphertextLength);
        int offset = offsetIn(buffer, in);
        int plainLength = ciphertextLength - AeadAlgorithm.TAG_LENGTH;
        byte[] out = plainScratch(ciphertextLength);
        try {
            int opened;
            if (gcm != null) {
                opened = gcm.open(nonce, aadArray, aadOffset, aadLength, in, offset, plainLength, out) ? plainLength : REJECTED;
            } else {
                opened = openJca(aadArray, aadOffset, aadLength, in, offset, ciphertextLength, out);
            }
            if (opened == REJECTED) {
                wipeAfterFailure(buffer, ciphertextLength, out);
                return REJECTED;
            }
            if (opened != plainLength) {
                throw new CryptoException("JDK " + algorithm.id() + " opened " + ciphertextLength + " bytes into "
                    + opened + " instead of " + plainLength);
            }
        } catch (RuntimeException e) {
            wipeAfterFailure(buffer, ciphertextLength, out);
            throw e;
        }
        MemorySegment.copy(out, 0, buffer, ValueLayout.JAVA_BYTE, 0, plainLength);
        return plainLength;
    }

    /** Opens through the JCA into {@code out}: the plaintext length, or {@link #REJECTED} for a bad tag. */
    private int openJca(byte[] aadArray, int aadOffset, int aadLength, byte[] in, int offset, int ciphertextLength,
            byte[] out) {
        init(Cipher.DECRYPT_MODE);
        try {
            if (aadLength > 0) {
                cipher.updateAAD(aadArray, aadOffset, aadLength);
            }
            return cipher.doFinal(in, offset, ciphertextLength, out, 0);
        } catch (AEADBadTagException e) {
            return REJECTED;
        } catch (GeneralSecurityException e) {
            throw new CryptoException("JDK " + algorithm.id() + " Cipher.doFinal (open) failed: " + e.getMessage(), e);
        }
    }

    private static void wipeAfterFailure(MemorySegment buffer, int length, byte[] plain) {
        AeadArgs.wipe(buffer, length);
        Arrays.fill(plain, 0, length, (byte) 0);
    }

    /** Initialises the JCA cipher with {@link #nonce}. */
    private void init(int mode) {
        try {
            cipher.init(mode, key, spec(algorithm, nonce));
        } catch (InvalidKeyException | InvalidAlgorithmParameterException e) {
            // The key and the nonce length were checked before, so for encryption this is SunJCE's
            // refusal to reuse the previous key and nonce ("Cannot reuse iv for GCM encryption",
            // "Matching key and nonce from previous initialization").
            if (mode == Cipher.ENCRYPT_MODE) {
                throw new IllegalArgumentException("nonce reuse: the JDK's " + algorithm.id() + " refuses to seal"
                    + " with the same key and nonce as its previous initialisation (" + e.getMessage()
                    + "); every packet needs a fresh nonce", e);
            }
            throw new CryptoException("JDK " + algorithm.id() + " Cipher.init failed: " + e.getMessage(), e);
        }
    }

    /**
     * The array holding the associated data: the caller's own for a heap segment over a
     * {@code byte[]} (at {@code aad.address()}), else {@link #aadScratch} with a copy at 0.
     */
    private byte[] aadArray(MemorySegment aad, int aadLength) {
        byte[] array = byteArray(aad);
        if (array != null) {
            return array;
        }
        if (aadScratch.length < aadLength) {
            aadScratch = new byte[aadLength];
        }
        MemorySegment.copy(aad, ValueLayout.JAVA_BYTE, 0, aadScratch, 0, aadLength);
        return aadScratch;
    }

    /**
     * The array holding {@code buffer[0, copyLength)}: the caller's own for a heap segment over a
     * {@code byte[]} (at {@code buffer.address()}), else {@link #inputScratch}, at least
     * {@code capacity} bytes, with a copy at 0.
     */
    private byte[] input(MemorySegment buffer, int copyLength, int capacity) {
        byte[] array = byteArray(buffer);
        if (array != null) {
            return array;
        }
        byte[] scratch = inputScratch(capacity);
        MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, scratch, 0, copyLength);
        return scratch;
    }

    /** Where {@code segment}'s bytes start in what {@link #input} or {@link #aadArray} returned for it. */
    private int offsetIn(MemorySegment segment, byte[] array) {
        return array == inputScratch || array == aadScratch ? 0 : (int) segment.address();
    }

    /** The input scratch for native buffers, at least {@code length} bytes. */
    private byte[] inputScratch(int length) {
        if (inputScratch.length < length) {
            Arrays.fill(inputScratch, (byte) 0);
            inputScratch = new byte[grow(inputScratch.length, length)];
        }
        return inputScratch;
    }

    /** The output scratch of {@link #open}, at least {@code length} bytes. */
    private byte[] plainScratch(int length) {
        if (plain.length < length) {
            Arrays.fill(plain, (byte) 0);
            plain = new byte[grow(plain.length, length)];
        }
        return plain;
    }

    private static int grow(int current, int needed) {
        return Math.max(needed, (int) Math.min(2L * current, Integer.MAX_VALUE - 8));
    }

    /** The backing array of a writable-or-not heap segment over a {@code byte[]}, else null. */
    private static byte[] byteArray(MemorySegment segment) {
        if (!segment.isNative() && segment.heapBase().orElse(null) instanceof byte[] array) {
            return array;
        }
        return null;
    }

    @Override
    public AeadAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public Backend backend() {
        return Backend.JDK;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        key.destroy();
        if (gcm != null) {
            gcm.close();
        } else {
            rekeyWithZeros();
        }
        Arrays.fill(nonce, (byte) 0);
        Arrays.fill(inputScratch, (byte) 0);
        Arrays.fill(plain, (byte) 0);
        Arrays.fill(aadScratch, (byte) 0);
        inputScratch = EMPTY;
        plain = EMPTY;
        aadScratch = EMPTY;
    }

    /** Re-keys SunJCE's {@link Cipher} with zeros so that it wipes the copies and key schedule it holds. */
    private void rekeyWithZeros() {
        JcaSecretKey zero = JcaSecretKey.owning(new byte[AeadAlgorithm.KEY_LENGTH], keyAlgorithm(algorithm));
        Arrays.fill(nonce, (byte) 0xff);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, zero, spec(algorithm, nonce));
        } catch (GeneralSecurityException | RuntimeException bestEffort) {
            // The held key is already wiped; nothing more can be done about SunJCE's copies.
        }
    }

    /** The live key array, for the test that {@link #close()} zeroes it. */
    byte[] keyBytesForTest() {
        return keyBytes;
    }

    @Override
    public String toString() {
        return "JdkAeadCipher[" + algorithm.id() + (closed ? ", closed]" : "]");
    }
}
