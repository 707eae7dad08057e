package io.qgate.crypto.aead;

import io.qgate.crypto.JdkInternals;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM (NIST SP 800-38D, 96-bit nonces, 128-bit tags) on the JDK's own AES-GCM
 * intrinsics, without the JCA: SunJCE's AES key schedule ({@code AESCrypt}), its counter mode
 * ({@code GCTR}), its GHASH and its combined AES-GCM loop ({@code GaloisCounterMode.implGCMCrypt0}),
 * reached through method handles. HotSpot replaces each with its intrinsic; on x86 with AVX2 or
 * AVX-512 (VAES, VPCLMULQDQ) the combined loop is one stub that encrypts and hashes whole
 * 512-byte runs in one pass.
 *
 * <h2>Why</h2>
 * Through the JCA every packet needs {@code Cipher.init} with a new {@link GCMParameterSpec}:
 * about 1 KB of garbage and a few hundred nanoseconds of set-up per packet, so at 1420 bytes the
 * JDK was no faster than OpenSSL 3.0 although its AES-GCM loop is twice as fast at 9000 bytes
 * (docs/PERFORMANCE.md, "AEAD"). Here the per-key objects are made once and each packet only
 * resets the counter and the hash state: nothing is allocated per packet once the JIT has
 * compiled the calls.
 *
 * <h2>Per packet (GCM with a 96-bit nonce)</h2>
 * J0 = nonce || 0x00000001; the payload is encrypted from inc32(J0); S = GHASH over the associated
 * data and the ciphertext, each zero-padded to 16 bytes, then their lengths in bits; the tag is
 * E(K, J0) XOR S. The combined loop takes whole 512-byte runs; the rest is SunJCE's counter mode
 * ({@code CounterMode.encrypt}, which handles the last partial block) and GHASH. Counter mode
 * increments all 128 bits where GCM increments the low 32: the two agree until the low 32 bits
 * wrap, which needs more than 2^32 - 2 blocks (64 GiB) in one packet, far beyond an {@code int}
 * length.
 *
 * <h2>Opening</h2>
 * {@link #open} decrypts out of place, from the ciphertext into another array, and returns
 * whether the tag matched (compared in constant time); the caller releases the plaintext only
 * then. In place would feed GHASH with plaintext in the JDK's Java version of the combined loop
 * (SunJCE avoids the combined loop for in-place decryption for that reason).
 *
 * <h2>Availability</h2>
 * Needs {@code --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED} (pom.xml's
 * {@code qgate.jvm.flags}, so every JVM qgate starts), is written against JDK 25's SunJCE, and is
 * checked once per JVM against SunJCE's {@link Cipher} at several lengths. When any of that
 * fails, or with {@code -Dqgate.aes.gcm.direct=false}, {@link #unavailableReason()} says why
 * and {@link JdkAeadCipher} uses the JCA as before.
 *
 * <h2>Nonce reuse</h2>
 * Like SunJCE's {@link Cipher}, {@link #seal} refuses the nonce of the previous seal
 * ({@link IllegalArgumentException}); a caller must never repeat a nonce under one key at all.
 *
 * <h2>Secrets</h2>
 * {@link #close()} re-keys the AES key schedule with zeros (SunJCE then wipes its copy of the key
 * and its expanded schedule) and zeroes the GHASH key H with its powers, the hash state and
 * E(K, J0). Not thread-safe: one instance per thread, as {@link AeadCipher}.
 */
final class JdkAesGcm implements AutoCloseable {
    /** System property: {@code false} makes the JDK backend use the JCA for AES-256-GCM. */
    static final String PROPERTY = "qgate.aes.gcm.direct";

    private static final int BLOCK = 16;
    private static final int KEY_LENGTH = AeadAlgorithm.KEY_LENGTH;
    private static final int NONCE_LENGTH = AeadAlgorithm.NONCE_LENGTH;
    /** The combined loop takes whole runs of this many bytes ({@code GaloisCounterMode.PARALLEL_LEN}); below, it does nothing. */
    private static final int COMBINED_RUN = 512;
    private static final VarHandle BIG_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BIG_ENDIAN_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private final Object aes;
    private final Object counterMode;
    private final Object ghash;
    /** GHASH's running state, two longs, reset for every packet. */
    private final long[] hashState;
    /** GHASH's H and the powers of H the intrinsic stores there: derived from the key. */
    private final long[] hashKeyTable;
    /** The counter block counter mode starts from; {@code counterMode} keeps this array as its IV. */
    private final byte[] firstCounter = new byte[BLOCK];
    private final byte[] j0 = new byte[BLOCK];
    private final byte[] tagMask = new byte[BLOCK];
    /**
     * Two blocks: a partial last block zero-padded for GHASH and the lengths block after it, hashed
     * in one call; then the computed tag in the first.
     */
    private final byte[] block = new byte[2 * BLOCK];
    /** The nonce of the last seal: sealing twice in a row with one nonce is refused, as SunJCE's Cipher does. */
    private final byte[] lastSealNonce = new byte[NONCE_LENGTH];
    private boolean sealedBefore;
    private boolean closed;

    /**
     * A cipher for {@code key} (32 bytes; SunJCE keeps its own copy, wiped by {@link #close()}).
     * Callers check {@link #unavailableReason()} first.
     */
    JdkAesGcm(byte[] key) {
        if (key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("AES-256-GCM needs a " + KEY_LENGTH + "-byte key, not " + key.length);
        }
        if (Internals.UNAVAILABLE != null) {
            throw new IllegalStateException(Internals.UNAVAILABLE);
        }
        try {
            aes = (Object) Internals.NEW_AES.invokeExact();
            Internals.AES_INIT.invokeExact(aes, false, "AES", key);
            byte[] h = new byte[BLOCK];
            Internals.AES_ENCRYPT_BLOCK.invokeExact(aes, h, 0, h, 0);
            counterMode = (Object) Internals.NEW_GCTR.invokeExact(aes, firstCounter);
            ghash = (Object) Internals.NEW_GHASH.invokeExact(h);
            Arrays.fill(h, (byte) 0);
            hashState = (long[]) Internals.GHASH_STATE.invokeExact(ghash);
            hashKeyTable = (long[]) Internals.GHASH_KEY_TABLE.invokeExact(ghash);
        } catch (Throwable t) {
            throw Internals.unexpected("keying", t);
        }
    }

    /** Why this cannot run here, or null when it can. */
    static String unavailableReason() {
        return SelfCheck.REASON;
    }

    /**
     * Encrypts {@code data[offset, offset + length)} in place and writes the tag after it.
     *
     * @param nonce 12 bytes
     * @param aad {@code aad[aadOffset, aadOffset + aadLength)}, authenticated only
     * @param data has room for the 16-byte tag after the plaintext
     * @throws IndexOutOfBoundsException if a range is outside its array (checked here: the
     *     intrinsics check nothing), with nothing written
     */
    void seal(byte[] nonce, byte[] aad, int aadOffset, int aadLength, byte[] data, int offset, int length) {
        checkRanges(nonce, aad, aadOffset, aadLength);
        Objects.checkFromIndexSize(offset, length, data.length - BLOCK); // and the tag after it
        if (sealedBefore && (long) BIG_ENDIAN_LONG.get(nonce, 0) == (long) BIG_ENDIAN_LONG.get(lastSealNonce, 0)
                && (int) BIG_ENDIAN_INT.get(nonce, 8) == (int) BIG_ENDIAN_INT.get(lastSealNonce, 8)) {
            throw new IllegalArgumentException("nonce reuse: the JDK's aes-256-gcm refuses to seal with the same nonce"
                + " as its previous seal; every packet needs a fresh nonce");
        }
        System.arraycopy(nonce, 0, lastSealNonce, 0, NONCE_LENGTH);
        sealedBefore = true;
        start(nonce, aad, aadOffset, aadLength);
        try {
            int done = length < COMBINED_RUN ? 0
                : (int) Internals.GCM_CRYPT.invokeExact(data, offset, length, data, offset, data, offset, counterMode, ghash);
            int rest = length - done;
            if (rest > 0) {
                int unused = (int) Internals.CTR_ENCRYPT.invokeExact(counterMode, data, offset + done, rest, data, offset + done);
            }
            finish(data, offset + done, rest, aadLength, length);
        } catch (Throwable t) {
            throw Internals.unexpected("sealing", t);
        }
        System.arraycopy(block, 0, data, offset + length, BLOCK);
    }

    /**
     * Decrypts {@code in[offset, offset + length)} into {@code out[0, length)} and checks the tag at
     * {@code in[offset + length, offset + length + 16)}.
     *
     * @return whether the tag matched; when it did not, {@code out} holds unauthenticated
     *     plaintext that the caller must wipe
     * @throws IndexOutOfBoundsException if a range is outside its array, with nothing written
     */
    boolean open(byte[] nonce, byte[] aad, int aadOffset, int aadLength, byte[] in, int offset, int length, byte[] out) {
        checkRanges(nonce, aad, aadOffset, aadLength);
        Objects.checkFromIndexSize(offset, length, in.length - BLOCK); // and the tag after it
        Objects.checkFromIndexSize(0, length, out.length);
        start(nonce, aad, aadOffset, aadLength);
        try {
            int done = length < COMBINED_RUN ? 0
                : (int) Internals.GCM_CRYPT.invokeExact(in, offset, length, in, offset, out, 0, counterMode, ghash);
            int rest = length - done;
            if (rest > 0) {
                int unused = (int) Internals.CTR_ENCRYPT.invokeExact(counterMode, in, offset + done, rest, out, done);
            }
            finish(in, offset + done, rest, aadLength, length); // the ciphertext, untouched: out is another array
        } catch (Throwable t) {
            throw Internals.unexpected("opening", t);
        }
        int difference = 0;
        for (int i = 0; i < BLOCK; i++) {
            difference |= block[i] ^ in[offset + length + i];
        }
        return difference == 0;
    }

    /** The nonce and the associated data's range. */
    private static void checkRanges(byte[] nonce, byte[] aad, int aadOffset, int aadLength) {
        Objects.checkFromIndexSize(0, NONCE_LENGTH, nonce.length);
        Objects.checkFromIndexSize(aadOffset, aadLength, aad.length);
    }

    /** Counter and hash for a new packet, and the associated data hashed. */
    private void start(byte[] nonce, byte[] aad, int aadOffset, int aadLength) {
        if (closed) {
            throw new IllegalStateException("this AES-256-GCM cipher is closed");
        }
        System.arraycopy(nonce, 0, j0, 0, NONCE_LENGTH);
        j0[12] = 0;
        j0[13] = 0;
        j0[14] = 0;
        j0[15] = 1;
        System.arraycopy(j0, 0, firstCounter, 0, BLOCK);
        firstCounter[15] = 2;
        hashState[0] = 0;
        hashState[1] = 0;
        try {
            Internals.CTR_RESET.invokeExact(counterMode);
        } catch (Throwable t) {
            throw Internals.unexpected("resetting", t);
        }
        hashPadded(aad, aadOffset, aadLength);
    }

    /** GHASH over {@code data[offset, offset + length)}, the last partial block padded with zeros. */
    private void hashPadded(byte[] data, int offset, int length) {
        int whole = length & -BLOCK;
        try {
            if (whole > 0) {
                int unused = (int) Internals.GHASH_UPDATE.invokeExact(ghash, data, offset, whole);
            }
            int partial = length - whole;
            if (partial > 0) {
                Arrays.fill(block, partial, BLOCK, (byte) 0);
                System.arraycopy(data, offset + whole, block, 0, partial);
                int unused = (int) Internals.GHASH_UPDATE.invokeExact(ghash, block, 0, BLOCK);
            }
        } catch (Throwable t) {
            throw Internals.unexpected("hashing", t);
        }
    }

    /**
     * GHASH over the ciphertext after the combined loop ({@code data[offset, offset + rest)}, its
     * partial last block zero-padded) and the lengths block, the last two blocks in one call;
     * then the tag, left in {@code block[0, 16)}.
     */
    private void finish(byte[] data, int offset, int rest, int aadLength, int length) throws Throwable {
        int whole = rest & -BLOCK;
        if (whole > 0) {
            int unused = (int) Internals.GHASH_UPDATE.invokeExact(ghash, data, offset, whole);
        }
        int partial = rest - whole;
        int from = partial > 0 ? 0 : BLOCK;
        if (partial > 0) {
            System.arraycopy(data, offset + whole, block, 0, partial);
            Arrays.fill(block, partial, BLOCK, (byte) 0);
        }
        BIG_ENDIAN_LONG.set(block, BLOCK, (long) aadLength << 3);
        BIG_ENDIAN_LONG.set(block, BLOCK + 8, (long) length << 3);
        int unused = (int) Internals.GHASH_UPDATE.invokeExact(ghash, block, from, 2 * BLOCK - from);
        Internals.AES_ENCRYPT_BLOCK.invokeExact(aes, j0, 0, tagMask, 0);
        BIG_ENDIAN_LONG.set(block, 0, hashState[0] ^ (long) BIG_ENDIAN_LONG.get(tagMask, 0));
        BIG_ENDIAN_LONG.set(block, 8, hashState[1] ^ (long) BIG_ENDIAN_LONG.get(tagMask, 8));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            // SunJCE wipes its saved key and its expanded schedule when it is given another key.
            Internals.AES_INIT.invokeExact(aes, false, "AES", new byte[KEY_LENGTH]);
        } catch (Throwable bestEffort) {
            // nothing more can be done about SunJCE's copy; the rest is wiped below
        }
        Arrays.fill(hashKeyTable, 0L);
        Arrays.fill(hashState, 0L);
        Arrays.fill(tagMask, (byte) 0);
        Arrays.fill(block, (byte) 0);
        Arrays.fill(j0, (byte) 0);
        Arrays.fill(firstCounter, (byte) 0);
    }

    /** GHASH's key table, for the test that {@link #close()} zeroes it. */
    long[] hashKeyTableForTest() {
        return hashKeyTable;
    }

    /** Checks once per JVM that this agrees with SunJCE's {@link Cipher}, both ways. */
    private static final class SelfCheck {
        static final String REASON = check();

        private static String check() {
            if ("false".equals(System.getProperty(PROPERTY))) {
                return "turned off by -D" + PROPERTY + "=false";
            }
            if (Internals.UNAVAILABLE != null) {
                return Internals.UNAVAILABLE;
            }
            byte[] key = new byte[KEY_LENGTH];
            byte[] nonce = new byte[NONCE_LENGTH];
            byte[] aad = new byte[21];
            for (int i = 0; i < key.length; i++) {
                key[i] = (byte) (i * 7 + 1);
            }
            for (int i = 0; i < aad.length; i++) {
                aad[i] = (byte) (i * 13 + 5);
            }
            JdkAesGcm gcm = null;
            try {
                gcm = new JdkAesGcm(key);
                Cipher jca = Cipher.getInstance("AES/GCM/NoPadding", JdkAeadCipher.PROVIDER);
                // lengths around the combined loop's 512-byte runs and the block size
                for (int length : new int[] {0, 1, 16, 31, 511, 512, 1420, 1537}) {
                    nonce[0] = (byte) length;
                    nonce[1] = (byte) (length >>> 8);
                    byte[] plain = new byte[length];
                    for (int i = 0; i < length; i++) {
                        plain[i] = (byte) (i * 31 + length);
                    }
                    jca.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
                    jca.updateAAD(aad);
                    byte[] expected = jca.doFinal(plain);
                    byte[] sealed = Arrays.copyOf(plain, length + BLOCK);
                    gcm.seal(nonce, aad, 0, aad.length, sealed, 0, length);
                    byte[] opened = new byte[length];
                    boolean verified = gcm.open(nonce, aad, 0, aad.length, expected, 0, length, opened);
                    if (!Arrays.equals(expected, sealed) || !verified || !Arrays.equals(plain, opened)) {
                        return "the JDK's AES-GCM internals gave a different result from SunJCE's Cipher at "
                            + length + " bytes (qgate's direct AES-GCM is written against JDK 25)";
                    }
                }
                return null;
            } catch (GeneralSecurityException | RuntimeException e) {
                return "the JDK's AES-GCM internals failed a check against SunJCE's Cipher: " + e;
            } finally {
                if (gcm != null) {
                    gcm.close();
                }
            }
        }
    }

    /** The handles into SunJCE, looked up once; {@link #UNAVAILABLE} says why when they cannot be. */
    private static final class Internals {
        static final MethodHandle NEW_AES;
        static final MethodHandle AES_INIT;
        static final MethodHandle AES_ENCRYPT_BLOCK;
        static final MethodHandle NEW_GCTR;
        static final MethodHandle CTR_RESET;
        static final MethodHandle CTR_ENCRYPT;
        static final MethodHandle NEW_GHASH;
        static final MethodHandle GHASH_UPDATE;
        static final MethodHandle GHASH_STATE;
        static final MethodHandle GHASH_KEY_TABLE;
        static final MethodHandle GCM_CRYPT;
        static final String UNAVAILABLE;

        static {
            MethodHandle[] h = new MethodHandle[11];
            String why = null;
            try {
                String pkg = "com.sun.crypto.provider.";
                Class<?> aes = Class.forName(pkg + "AESCrypt");
                Class<?> blockCipher = Class.forName(pkg + "SymmetricCipher");
                Class<?> counterMode = Class.forName(pkg + "CounterMode");
                Class<?> gctr = Class.forName(pkg + "GCTR");
                Class<?> ghash = Class.forName(pkg + "GHASH");
                Class<?> gcm = Class.forName(pkg + "GaloisCounterMode");
                MethodHandles.Lookup l = MethodHandles.privateLookupIn(gcm, MethodHandles.lookup());
                MethodHandles.Lookup ghashLookup = MethodHandles.privateLookupIn(ghash, MethodHandles.lookup());
                MethodType crypt = MethodType.methodType(int.class, byte[].class, int.class, int.class, byte[].class, int.class);
                h[0] = l.findConstructor(aes, MethodType.methodType(void.class));
                h[1] = l.findVirtual(aes, "init", MethodType.methodType(void.class, boolean.class, String.class, byte[].class));
                h[2] = l.findVirtual(aes, "encryptBlock",
                    MethodType.methodType(void.class, byte[].class, int.class, byte[].class, int.class));
                h[3] = l.findConstructor(gctr, MethodType.methodType(void.class, blockCipher, byte[].class));
                h[4] = l.findVirtual(counterMode, "reset", MethodType.methodType(void.class));
                h[5] = l.findVirtual(counterMode, "encrypt", crypt);
                h[6] = l.findConstructor(ghash, MethodType.methodType(void.class, byte[].class));
                h[7] = l.findVirtual(ghash, "update", MethodType.methodType(int.class, byte[].class, int.class, int.class));
                h[8] = ghashLookup.findGetter(ghash, "state", long[].class);
                h[9] = ghashLookup.findGetter(ghash, "subkeyHtbl", long[].class);
                h[10] = l.findStatic(gcm, "implGCMCrypt0", MethodType.methodType(int.class, byte[].class, int.class, int.class,
                    byte[].class, int.class, byte[].class, int.class, gctr, ghash));
                JdkInternals.makeOpaque(h);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // this class must still load, and say why
                why = JdkInternals.whyUnavailable(e, "SunJCE", "java.base/com.sun.crypto.provider", "qgate's direct AES-GCM");
            }
            NEW_AES = h[0]; AES_INIT = h[1]; AES_ENCRYPT_BLOCK = h[2]; NEW_GCTR = h[3]; CTR_RESET = h[4];
            CTR_ENCRYPT = h[5]; NEW_GHASH = h[6]; GHASH_UPDATE = h[7]; GHASH_STATE = h[8]; GHASH_KEY_TABLE = h[9];
            GCM_CRYPT = h[10];
            UNAVAILABLE = why;
        }

        private Internals() {
        }

        static IllegalStateException unexpected(String step, Throwable t) {
            if (t instanceof Error error) {
                throw error;
            }
            return new IllegalStateException("the JDK's AES-GCM internals failed while " + step + ": " + t, t);
        }
    }
}
