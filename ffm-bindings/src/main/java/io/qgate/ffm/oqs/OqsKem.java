package io.qgate.ffm.oqs;

import io.qgate.ffm.NativeLibrary;
import io.qgate.ffm.NativeLibraryUnavailableException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * One liboqs KEM method ({@code OQS_KEM} from {@code <oqs/kem.h>}), for example "ML-KEM-768".
 *
 * <p>Calls go through liboqs's exported dispatch functions ({@code OQS_KEM_keypair},
 * {@code OQS_KEM_encaps}, {@code OQS_KEM_decaps}), never through the struct's function pointers,
 * so only the struct's leading fields are read. Their layout has been stable since liboqs 0.7:
 * <pre>
 * offset  0  const char *method_name
 * offset  8  const char *alg_version
 * offset 16  uint8_t claimed_nist_level
 * offset 17  bool ind_cca
 * offset 24  size_t length_public_key
 * offset 32  size_t length_secret_key
 * offset 40  size_t length_ciphertext
 * offset 48  size_t length_shared_secret
 * offset 56  size_t length_keypair_seed   (only in releases that export OQS_KEM_keypair_derand)
 * offset 64  size_t length_encaps_seed    (only in releases that export OQS_KEM_encaps_derand)
 * </pre>
 * The deterministic functions are optional: {@link #hasDerandomizedKeypair()} and
 * {@link #hasDerandomizedEncaps()} say whether this liboqs exports them.
 *
 * <p>Thread-safety: liboqs KEM functions are reentrant; one instance may be used by many threads.
 * {@link #close()} frees the native object and must not race with other calls.
 */
public final class OqsKem implements AutoCloseable {
    private static final int OQS_SUCCESS = 0;
    private static final ValueLayout.OfLong SIZE_T = ValueLayout.JAVA_LONG;
    private static final long STRUCT_SIZE = 72;

    private final Natives natives;
    private final String methodName;
    private MemorySegment kem;
    private final int publicKeyLength;
    private final int secretKeyLength;
    private final int ciphertextLength;
    private final int sharedSecretLength;
    private final int keypairSeedLength;
    private final int encapsSeedLength;

    private OqsKem(Natives natives, String methodName, MemorySegment kem) {
        this.natives = natives;
        this.methodName = methodName;
        this.kem = kem;
        MemorySegment struct = kem.reinterpret(STRUCT_SIZE);
        publicKeyLength = length(struct, 24);
        secretKeyLength = length(struct, 32);
        ciphertextLength = length(struct, 40);
        sharedSecretLength = length(struct, 48);
        keypairSeedLength = natives.keypairDerand != null ? length(struct, 56) : 0;
        encapsSeedLength = natives.encapsDerand != null ? length(struct, 64) : 0;
    }

    /**
     * Opens a KEM method by its liboqs name ("ML-KEM-512", "ML-KEM-768", "ML-KEM-1024").
     *
     * @throws NativeLibraryUnavailableException if liboqs is not installed, or this build of it
     *     does not have the method enabled
     */
    public static OqsKem open(String methodName) {
        Natives natives = Natives.get();
        MemorySegment kem;
        try (Arena arena = Arena.ofConfined()) {
            kem = (MemorySegment) natives.kemNew.invokeExact(arena.allocateFrom(methodName));
        } catch (Throwable t) {
            throw NativeLibrary.unchecked(t);
        }
        if (kem.equals(MemorySegment.NULL)) {
            throw new NativeLibraryUnavailableException("liboqs (" + natives.library.soname() + ") does not enable the KEM "
                + methodName + ": rebuild liboqs with it enabled (OQS_ENABLE_KEM_ml_kem_*) or choose another backend");
        }
        return new OqsKem(natives, methodName, kem);
    }

    public String methodName() {
        return methodName;
    }

    public int publicKeyLength() {
        return publicKeyLength;
    }

    /** Length of liboqs's secret key (for ML-KEM the FIPS 203 expanded dk). */
    public int secretKeyLength() {
        return secretKeyLength;
    }

    public int ciphertextLength() {
        return ciphertextLength;
    }

    public int sharedSecretLength() {
        return sharedSecretLength;
    }

    /** Whether this liboqs exports {@code OQS_KEM_keypair_derand} (and the method supports it). */
    public boolean hasDerandomizedKeypair() {
        return natives.keypairDerand != null && keypairSeedLength > 0;
    }

    /** Whether this liboqs exports {@code OQS_KEM_encaps_derand} (and the method supports it). */
    public boolean hasDerandomizedEncaps() {
        return natives.encapsDerand != null && encapsSeedLength > 0;
    }

    /** Length of the seed of {@link #keypair(byte[], byte[], byte[])}; 0 when unsupported. */
    public int keypairSeedLength() {
        return keypairSeedLength;
    }

    /** Length of the seed of {@link #encaps(byte[], byte[], byte[], byte[])}; 0 when unsupported. */
    public int encapsSeedLength() {
        return encapsSeedLength;
    }

    /** OQS_KEM_keypair into {@code publicKey} and {@code secretKey}, which must have the method's lengths. */
    public void keypair(byte[] publicKey, byte[] secretKey) {
        keypair(publicKey, secretKey, null);
    }

    /** OQS_KEM_keypair_derand when {@code seed} is not null, else OQS_KEM_keypair. */
    public void keypair(byte[] publicKey, byte[] secretKey, byte[] seed) {
        check("public key", publicKey, publicKeyLength);
        check("secret key", secretKey, secretKeyLength);
        if (seed != null && !hasDerandomizedKeypair()) {
            throw new NativeLibraryUnavailableException("liboqs (" + natives.library.soname() + ") has no OQS_KEM_keypair_derand for "
                + methodName + ": install a newer liboqs for deterministic key generation");
        }
        if (seed != null) {
            check("key generation seed", seed, keypairSeedLength);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pk = arena.allocate(publicKeyLength);
            MemorySegment sk = arena.allocate(secretKeyLength);
            MemorySegment s = seed == null ? null : arena.allocateFrom(ValueLayout.JAVA_BYTE, seed);
            try {
                int status = seed == null
                    ? (int) natives.keypair.invokeExact(kem(), pk, sk)
                    : (int) natives.keypairDerand.invokeExact(kem(), pk, sk, s);
                status("OQS_KEM_keypair", status);
                MemorySegment.copy(pk, ValueLayout.JAVA_BYTE, 0, publicKey, 0, publicKeyLength);
                MemorySegment.copy(sk, ValueLayout.JAVA_BYTE, 0, secretKey, 0, secretKeyLength);
            } finally {
                sk.fill((byte) 0);
                if (s != null) {
                    s.fill((byte) 0);
                }
            }
        } catch (Throwable t) {
            throw NativeLibrary.unchecked(t);
        }
    }

    /** OQS_KEM_encaps: fills {@code ciphertext} and {@code sharedSecret}. */
    public void encaps(byte[] ciphertext, byte[] sharedSecret, byte[] publicKey) {
        encaps(ciphertext, sharedSecret, publicKey, null);
    }

    /** OQS_KEM_encaps_derand when {@code seed} is not null, else OQS_KEM_encaps. */
    public void encaps(byte[] ciphertext, byte[] sharedSecret, byte[] publicKey, byte[] seed) {
        check("ciphertext", ciphertext, ciphertextLength);
        check("shared secret", sharedSecret, sharedSecretLength);
        check("public key", publicKey, publicKeyLength);
        if (seed != null && !hasDerandomizedEncaps()) {
            throw new NativeLibraryUnavailableException("liboqs (" + natives.library.soname() + ") has no OQS_KEM_encaps_derand for "
                + methodName + ": install a newer liboqs for deterministic encapsulation");
        }
        if (seed != null) {
            check("encapsulation seed", seed, encapsSeedLength);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ct = arena.allocate(ciphertextLength);
            MemorySegment ss = arena.allocate(sharedSecretLength);
            MemorySegment pk = arena.allocateFrom(ValueLayout.JAVA_BYTE, publicKey);
            MemorySegment s = seed == null ? null : arena.allocateFrom(ValueLayout.JAVA_BYTE, seed);
            try {
                int status = seed == null
                    ? (int) natives.encaps.invokeExact(kem(), ct, ss, pk)
                    : (int) natives.encapsDerand.invokeExact(kem(), ct, ss, pk, s);
                status("OQS_KEM_encaps", status);
                MemorySegment.copy(ct, ValueLayout.JAVA_BYTE, 0, ciphertext, 0, ciphertextLength);
                MemorySegment.copy(ss, ValueLayout.JAVA_BYTE, 0, sharedSecret, 0, sharedSecretLength);
            } finally {
                ss.fill((byte) 0);
                if (s != null) {
                    s.fill((byte) 0);
                }
            }
        } catch (Throwable t) {
            throw NativeLibrary.unchecked(t);
        }
    }

    /** OQS_KEM_decaps: fills {@code sharedSecret}. */
    public void decaps(byte[] sharedSecret, byte[] ciphertext, byte[] secretKey) {
        check("shared secret", sharedSecret, sharedSecretLength);
        check("ciphertext", ciphertext, ciphertextLength);
        check("secret key", secretKey, secretKeyLength);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ss = arena.allocate(sharedSecretLength);
            MemorySegment ct = arena.allocateFrom(ValueLayout.JAVA_BYTE, ciphertext);
            MemorySegment sk = arena.allocateFrom(ValueLayout.JAVA_BYTE, secretKey);
            try {
                status("OQS_KEM_decaps", (int) natives.decaps.invokeExact(kem(), ss, ct, sk));
                MemorySegment.copy(ss, ValueLayout.JAVA_BYTE, 0, sharedSecret, 0, sharedSecretLength);
            } finally {
                ss.fill((byte) 0);
                sk.fill((byte) 0);
            }
        } catch (Throwable t) {
            throw NativeLibrary.unchecked(t);
        }
    }

    /** OQS_KEM_free. */
    @Override
    public synchronized void close() {
        if (kem != null) {
            try {
                natives.free.invokeExact(kem);
            } catch (Throwable t) {
                throw NativeLibrary.unchecked(t);
            }
            kem = null;
        }
    }

    private synchronized MemorySegment kem() {
        if (kem == null) {
            throw new IllegalStateException("liboqs KEM " + methodName + " was used after it was closed");
        }
        return kem;
    }

    private static int length(MemorySegment struct, long offset) {
        long value = struct.get(SIZE_T, offset);
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new IllegalStateException("liboqs OQS_KEM struct has an impossible length " + value
                + " at offset " + offset + ": this liboqs has an unknown struct layout");
        }
        return (int) value;
    }

    private void check(String what, byte[] buffer, int expected) {
        if (buffer == null || buffer.length != expected) {
            throw new IllegalArgumentException("liboqs " + methodName + " " + what + " must be " + expected + " bytes but is "
                + (buffer == null ? "missing" : buffer.length + " bytes"));
        }
    }

    private void status(String function, int status) {
        if (status != OQS_SUCCESS) {
            throw new IllegalStateException(function + " for " + methodName + " failed with status " + status);
        }
    }


    /** The downcall handles, bound once when liboqs is first used. */
    private static final class Natives {
        private static volatile Natives instance;

        final NativeLibrary library;
        final MethodHandle kemNew;
        final MethodHandle keypair;
        final MethodHandle keypairDerand;
        final MethodHandle encaps;
        final MethodHandle encapsDerand;
        final MethodHandle decaps;
        final MethodHandle free;

        private Natives(NativeLibrary library) {
            this.library = library;
            ValueLayout.OfInt status = ValueLayout.JAVA_INT;
            var ptr = ValueLayout.ADDRESS;
            kemNew = library.downcall("OQS_KEM_new", FunctionDescriptor.of(ptr, ptr));
            keypair = library.downcall("OQS_KEM_keypair", FunctionDescriptor.of(status, ptr, ptr, ptr));
            keypairDerand = library.has("OQS_KEM_keypair_derand")
                ? library.downcall("OQS_KEM_keypair_derand", FunctionDescriptor.of(status, ptr, ptr, ptr, ptr)) : null;
            encaps = library.downcall("OQS_KEM_encaps", FunctionDescriptor.of(status, ptr, ptr, ptr, ptr));
            encapsDerand = library.has("OQS_KEM_encaps_derand")
                ? library.downcall("OQS_KEM_encaps_derand", FunctionDescriptor.of(status, ptr, ptr, ptr, ptr, ptr)) : null;
            decaps = library.downcall("OQS_KEM_decaps", FunctionDescriptor.of(status, ptr, ptr, ptr, ptr));
            free = library.downcall("OQS_KEM_free", FunctionDescriptor.ofVoid(ptr));
        }

        static Natives get() {
            Natives n = instance;
            if (n == null) {
                synchronized (Natives.class) {
                    n = instance;
                    if (n == null) {
                        n = new Natives(LibOqs.library());
                        instance = n;
                    }
                }
            }
            return n;
        }
    }
}
