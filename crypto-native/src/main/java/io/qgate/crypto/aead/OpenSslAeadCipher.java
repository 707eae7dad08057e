package io.qgate.crypto.aead;

import io.qgate.crypto.Backend;
import io.qgate.crypto.CryptoException;
import io.qgate.ffm.openssl.LibCrypto;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Cleaner;

/**
 * {@link AeadCipher} on OpenSSL libcrypto's EVP interface through FFM.
 *
 * <p>One {@code EVP_CIPHER_CTX} per cipher holds the key schedule: the cipher and key are set
 * once at construction; each packet sets only the IV and direction
 * ({@code EVP_CipherInit_ex(ctx, NULL, NULL, NULL, nonce, enc)}), feeds the associated data, runs
 * the cipher in place and gets or sets the tag. All per-packet calls are critical downcalls (see
 * {@link LibCrypto}), so heap and native segments are passed to OpenSSL as they are.
 *
 * <h2>Allocation</h2>
 * None per packet: the {@code int} out-length and a 16-byte tag scratch are heap arrays
 * allocated once per cipher, which the critical downcalls take as they are. The tag goes through
 * the scratch (a 16-byte copy) because passing a pointer into the middle of the buffer would need
 * a new slice object per packet. Neither is native memory on purpose: a shared arena's
 * {@code close()} synchronises with every thread of the JVM (33 to 90 µs, briefly stopping the
 * data plane's threads), and a cipher is made and closed at every keypair of every session.
 *
 * <h2>Failed authentication</h2>
 * OpenSSL decrypts in place before it checks the tag in {@code EVP_DecryptFinal_ex}, so on a
 * mismatch the buffer holds unauthenticated plaintext: {@link #open} zeroes
 * {@code buffer[0, ciphertextLength)} before it throws.
 *
 * <h2>Key erasure</h2>
 * The key is copied into a temporary native buffer only for {@code EVP_CipherInit_ex}, which is
 * zeroed right after. {@link #close()} calls {@code EVP_CIPHER_CTX_free}, which cleanses the key
 * schedule. A cipher that is never closed is freed the same way by a {@link Cleaner} once it is
 * unreachable.
 */
final class OpenSslAeadCipher implements AeadCipher {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final int ENCRYPT = 1;
    private static final int DECRYPT = 0;

    private final LibCrypto lib;
    private final AeadAlgorithm algorithm;
    private final MemorySegment ctx;
    /** A C int: the out-length of each update and final. */
    private final MemorySegment outLength;
    private final MemorySegment tag;
    private final Cleaner.Cleanable cleanable;
    private boolean closed;

    /** Copies {@code key} (32 bytes, not kept) into a new EVP context. */
    OpenSslAeadCipher(LibCrypto lib, AeadAlgorithm algorithm, byte[] key) {
        this.lib = lib;
        this.algorithm = algorithm;
        lib.clearErrors();
        MemorySegment context = lib.cipherCtxNew();
        if (context.equals(MemorySegment.NULL)) {
            throw failure("EVP_CIPHER_CTX_new");
        }
        this.outLength = MemorySegment.ofArray(new int[1]);
        this.tag = MemorySegment.ofArray(new byte[AeadAlgorithm.TAG_LENGTH]);
        try {
            MemorySegment evpCipher = algorithm == AeadAlgorithm.AES_256_GCM ? lib.aes256Gcm() : lib.chacha20Poly1305();
            check(lib.cipherInitSetup(context, evpCipher, MemorySegment.NULL, MemorySegment.NULL, ENCRYPT),
                "EVP_CipherInit_ex (cipher)");
            check(lib.cipherCtxCtrlSetup(context, LibCrypto.EVP_CTRL_AEAD_SET_IVLEN, AeadAlgorithm.NONCE_LENGTH,
                MemorySegment.NULL), "EVP_CIPHER_CTX_ctrl (EVP_CTRL_AEAD_SET_IVLEN)");
            try (Arena keyArena = Arena.ofConfined()) {
                MemorySegment nativeKey = keyArena.allocate(AeadAlgorithm.KEY_LENGTH);
                try {
                    MemorySegment.copy(key, 0, nativeKey, ValueLayout.JAVA_BYTE, 0, AeadAlgorithm.KEY_LENGTH);
                    check(lib.cipherInitSetup(context, MemorySegment.NULL, nativeKey, MemorySegment.NULL, ENCRYPT),
                        "EVP_CipherInit_ex (key)");
                } finally {
                    nativeKey.fill((byte) 0);
                }
            }
        } catch (RuntimeException e) {
            lib.cipherCtxFree(context);
            throw e;
        }
        this.ctx = context;
        this.cleanable = CLEANER.register(this, new Release(lib, context));
    }

    @Override
    public int seal(MemorySegment nonce, MemorySegment aad, MemorySegment buffer, int plaintextLength) {
        AeadArgs.checkNotClosed(closed, algorithm);
        AeadArgs.checkNonce(nonce);
        int aadLength = AeadArgs.aadLength(aad);
        AeadArgs.checkSeal(buffer, plaintextLength);

        LibCrypto c = lib;
        check(c.cipherInitIv(ctx, nonce, ENCRYPT), "EVP_CipherInit_ex (nonce)");
        if (aadLength > 0) {
            check(c.encryptUpdate(ctx, MemorySegment.NULL, outLength, aad, aadLength), "EVP_EncryptUpdate (aad)");
        }
        if (plaintextLength > 0) {
            check(c.encryptUpdate(ctx, buffer, outLength, buffer, plaintextLength), "EVP_EncryptUpdate");
            checkOutLength(plaintextLength, "EVP_EncryptUpdate");
        }
        check(c.encryptFinal(ctx, tag, outLength), "EVP_EncryptFinal_ex");
        checkOutLength(0, "EVP_EncryptFinal_ex");
        check(c.cipherCtxCtrl(ctx, LibCrypto.EVP_CTRL_AEAD_GET_TAG, AeadAlgorithm.TAG_LENGTH, tag),
            "EVP_CIPHER_CTX_ctrl (EVP_CTRL_AEAD_GET_TAG)");
        MemorySegment.copy(tag, 0, buffer, plaintextLength, AeadAlgorithm.TAG_LENGTH);
        return plaintextLength + AeadAlgorithm.TAG_LENGTH;
    }

    @Override
    public int open(MemorySegment nonce, MemorySegment aad, MemorySegment buffer, int ciphertextLength) {
        int plaintextLength = decrypt(nonce, aad, buffer, ciphertextLength);
        if (plaintextLength == REJECTED) {
            throw ciphertextLength < AeadAlgorithm.TAG_LENGTH ? AeadArgs.truncated(ciphertextLength)
                : AeadArgs.badTag(algorithm);
        }
        return plaintextLength;
    }

    @Override
    public int openOrReject(MemorySegment nonce, MemorySegment aad, MemorySegment buffer, int ciphertextLength) {
        return decrypt(nonce, aad, buffer, ciphertextLength);
    }

    /** {@link #open} returning {@link #REJECTED} (buffer wiped) where it would throw for a bad tag. */
    private int decrypt(MemorySegment nonce, MemorySegment aad, MemorySegment buffer, int ciphertextLength) {
        AeadArgs.checkNotClosed(closed, algorithm);
        AeadArgs.checkNonce(nonce);
        int aadLength = AeadArgs.aadLength(aad);
        AeadArgs.checkOpen(buffer, ciphertextLength);
        if (ciphertextLength < AeadAlgorithm.TAG_LENGTH) {
            AeadArgs.wipe(buffer, ciphertextLength);
            return REJECTED;
        }
        int plaintextLength = ciphertextLength - AeadAlgorithm.TAG_LENGTH;

        LibCrypto c = lib;
        try {
            MemorySegment.copy(buffer, plaintextLength, tag, 0, AeadAlgorithm.TAG_LENGTH);
            check(c.cipherInitIv(ctx, nonce, DECRYPT), "EVP_CipherInit_ex (nonce)");
            check(c.cipherCtxCtrl(ctx, LibCrypto.EVP_CTRL_AEAD_SET_TAG, AeadAlgorithm.TAG_LENGTH, tag),
                "EVP_CIPHER_CTX_ctrl (EVP_CTRL_AEAD_SET_TAG)");
            if (aadLength > 0) {
                check(c.decryptUpdate(ctx, MemorySegment.NULL, outLength, aad, aadLength), "EVP_DecryptUpdate (aad)");
            }
            if (plaintextLength > 0) {
                check(c.decryptUpdate(ctx, buffer, outLength, buffer, plaintextLength), "EVP_DecryptUpdate");
                checkOutLength(plaintextLength, "EVP_DecryptUpdate");
            }
        } catch (RuntimeException e) {
            AeadArgs.wipe(buffer, ciphertextLength);
            throw e;
        }
        if (c.decryptFinal(ctx, tag, outLength) != 1) {
            // The tag does not match. OpenSSL may or may not have queued an error; drop it.
            c.clearErrors();
            AeadArgs.wipe(buffer, ciphertextLength);
            return REJECTED;
        }
        if (outLength.get(ValueLayout.JAVA_INT, 0) != 0) {
            AeadArgs.wipe(buffer, ciphertextLength);
            throw new CryptoException("OpenSSL EVP_DecryptFinal_ex wrote " + outLength.get(ValueLayout.JAVA_INT, 0)
                + " bytes for " + algorithm.id() + ", expected 0");
        }
        return plaintextLength;
    }

    private void check(int result, String call) {
        if (result != 1) {
            throw failure(call);
        }
    }

    private void checkOutLength(int expected, String call) {
        int written = outLength.get(ValueLayout.JAVA_INT, 0);
        if (written != expected) {
            throw new CryptoException("OpenSSL " + call + " wrote " + written + " bytes for " + algorithm.id()
                + ", expected " + expected);
        }
    }

    private CryptoException failure(String call) {
        return new CryptoException("OpenSSL " + call + " failed for " + algorithm.id() + ": " + lib.lastErrors());
    }

    @Override
    public AeadAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public Backend backend() {
        return Backend.OPENSSL;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "OpenSslAeadCipher[" + algorithm.id() + (closed ? ", closed]" : "]");
    }

    /** Frees the context (cleansing the key schedule), exactly once. */
    private record Release(LibCrypto lib, MemorySegment ctx) implements Runnable {
        @Override
        public void run() {
            lib.cipherCtxFree(ctx);
        }
    }
}
