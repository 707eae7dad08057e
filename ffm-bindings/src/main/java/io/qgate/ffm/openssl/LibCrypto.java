package io.qgate.ffm.openssl;

import io.qgate.ffm.NativeLibrary;
import io.qgate.ffm.NativeLibraryUnavailableException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * OpenSSL libcrypto's EVP cipher interface (the AEAD subset qgate uses), found by soname.
 *
 * <p>{@link #isAvailable()} says whether the library could be loaded and {@link #get()} returns
 * the binding or throws with the reason. The functions are thin: they return OpenSSL's own
 * return codes (1 for success in the EVP API) and leave checking to the caller, except for
 * {@link #lastErrors()}, which drains the thread's OpenSSL error queue into a message.
 *
 * <h2>Critical downcalls</h2>
 * The functions called once per packet ({@code EVP_CipherInit_ex}, {@code EVP_CIPHER_CTX_ctrl},
 * {@code EVP_{En,De}cryptUpdate}, {@code EVP_{En,De}cryptFinal_ex}) are linked with
 * {@link Linker.Option#critical(boolean) critical(true)}: no thread-state transition, and heap
 * segments ({@link MemorySegment#ofArray(byte[])}) may be passed for any pointer argument, so a
 * packet in a Java array is processed in place without a copy. Critical calls block the garbage
 * collector while they run, which is fine for these short, non-blocking, non-upcalling functions
 * (a 9000-byte packet takes two to three microseconds). Setup and teardown use ordinary downcalls
 * and need native memory.
 *
 * <p>None of the bound functions is variadic. The handles are {@code static final} so that the
 * JIT treats them as constants.
 */
public final class LibCrypto {
    /** OpenSSL 3 first, then the unversioned development link (which may be 1.1.1; the subset here exists there too). */
    static final List<String> SONAMES = List.of("libcrypto.so.3", "libcrypto.so");

    /**
     * System property naming the libcrypto to load instead of {@link #SONAMES}: sonames or paths,
     * comma-separated, tried in order. For example {@code /opt/openssl-3.5/lib64/libcrypto.so.3}
     * to use a newer OpenSSL than the system's.
     */
    public static final String LIBRARIES_PROPERTY = "qgate.openssl.libraries";

    /** {@code EVP_CTRL_AEAD_SET_IVLEN} from {@code openssl/evp.h} (also {@code EVP_CTRL_GCM_SET_IVLEN}). */
    public static final int EVP_CTRL_AEAD_SET_IVLEN = 0x9;
    /** {@code EVP_CTRL_AEAD_GET_TAG} from {@code openssl/evp.h} (also {@code EVP_CTRL_GCM_GET_TAG}). */
    public static final int EVP_CTRL_AEAD_GET_TAG = 0x10;
    /** {@code EVP_CTRL_AEAD_SET_TAG} from {@code openssl/evp.h} (also {@code EVP_CTRL_GCM_SET_TAG}). */
    public static final int EVP_CTRL_AEAD_SET_TAG = 0x11;
    /** {@code OPENSSL_VERSION} selector of {@code OpenSSL_version}: the version text. */
    public static final int OPENSSL_VERSION = 0;

    /** Every function bound here; all exist since OpenSSL 1.1.0. */
    static final List<String> SYMBOLS = List.of("OpenSSL_version", "OpenSSL_version_num",
        "EVP_CIPHER_CTX_new", "EVP_CIPHER_CTX_free", "EVP_aes_256_gcm", "EVP_chacha20_poly1305",
        "EVP_CipherInit_ex", "EVP_CIPHER_CTX_ctrl", "EVP_EncryptUpdate", "EVP_EncryptFinal_ex",
        "EVP_DecryptUpdate", "EVP_DecryptFinal_ex", "ERR_get_error", "ERR_error_string_n", "ERR_clear_error");

    private static final NativeLibrary LIBRARY;
    private static final NativeLibraryUnavailableException FAILURE;
    private static final LibCrypto INSTANCE = new LibCrypto();

    /** {@link #LIBRARIES_PROPERTY} split at commas, or {@link #SONAMES} when it is not set. */
    static List<String> libraries() {
        String configured = System.getProperty(LIBRARIES_PROPERTY, "");
        List<String> names = java.util.Arrays.stream(configured.split(",")).map(String::strip).filter(n -> !n.isEmpty()).toList();
        return names.isEmpty() ? SONAMES : names;
    }

    static {
        NativeLibrary loaded = null;
        NativeLibraryUnavailableException error = null;
        try {
            loaded = NativeLibrary.load("OpenSSL libcrypto", "install the Debian package libssl3", libraries());
            // Fail here, with the library's name, if a function is missing (a libcrypto older than 1.1.0).
            for (String symbol : SYMBOLS) {
                if (!loaded.has(symbol)) {
                    throw new NativeLibraryUnavailableException("OpenSSL libcrypto (" + loaded.soname()
                        + ") has no function " + symbol + ": install OpenSSL 3 (the Debian package libssl3).");
                }
            }
        } catch (NativeLibraryUnavailableException e) {
            loaded = null;
            error = e;
        }
        LIBRARY = loaded;
        FAILURE = error;
    }

    private LibCrypto() {
    }

    /** Whether libcrypto could be loaded and has every function bound here. */
    public static boolean isAvailable() {
        return LIBRARY != null;
    }

    /** Why libcrypto is not available, or null when it is. */
    public static String unavailableReason() {
        return FAILURE == null ? null : FAILURE.getMessage();
    }

    /**
     * The binding.
     *
     * @throws NativeLibraryUnavailableException if libcrypto is not installed, with the reason
     */
    public static LibCrypto get() {
        if (LIBRARY == null) {
            throw FAILURE;
        }
        return INSTANCE;
    }

    /** The soname that was opened, such as {@code libcrypto.so.3}. */
    public String soname() {
        return LIBRARY.soname();
    }

    // ---------------------------------------------------------------- setup (ordinary downcalls)

    /** {@code OpenSSL_version(OPENSSL_VERSION)}, such as "OpenSSL 3.0.19 27 Jan 2026". */
    @SuppressWarnings("restricted") // reinterpret: a static NUL-terminated string, read up to its NUL
    public String version() {
        try {
            MemorySegment text = (MemorySegment) H.OPENSSL_VERSION_FN.invokeExact(OPENSSL_VERSION);
            return text.equals(MemorySegment.NULL) ? "unknown" : text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw NativeLibrary.unchecked(t);
        }
    }

    /** {@code OpenSSL_version_num()}, for example 0x30000130 for 3.0.19. */
    public long versionNumber() {
        try {
            return (long) H.OPENSSL_VERSION_NUM.invokeExact();
        } catch (Throwable t) {
            throw NativeLibrary.unchecked(t);
        }
    }

    /** {@code EVP_CIPHER_CTX_new()}: a new context, or {@link MemorySegment#NULL} when out of memory. */
    public MemorySegment cipherCtxNew() {
        try {
            return (MemorySegment) H.EVP_CIPHER_CTX_NEW.invokeExact();
        } catch (Throwable t) {
            throw NativeLibrary.unchecked(t);
        }
    }

    /** {@code EVP_CIPHER_CTX_free(ctx)}: cleanses the key schedule and frees; NULL is ignored. */
    public void cipherCtxFree(MemorySegment ctx) {
        try {
            H.EVP_CIPHER_CTX_FREE.invokeExact(ctx);
        } catch (Throwable t) {
            throw NativeLibrary.unchecked(t);
        }
    }

    /** {@code EVP_aes_256_gcm()}: a static cipher description, never freed. */
    public MemorySegment aes256Gcm() {
        try {
            return (MemorySegment) H.EVP_AES_256_GCM.invokeExact();
        } catch (Throwable t) {
            throw NativeLibrary.unchecked(t);
        }
    }

    /** {@code EVP_chacha20_poly1305()}: a static cipher description, never freed. */
    public MemorySegment chacha20Poly1305() {
        try {
            return (MemorySegment) H.EVP_CHACHA20_POLY1305.invokeExact();
        } catch (Throwable t) {
            throw NativeLibrary.unchecked(t);
        }
    }

    /**
     * {@code EVP_CipherInit_ex(ctx, cipher, NULL, key, iv, enc)} as an ordinary downcall, for setup:
     * choosing the cipher and setting the key. Pointers must be native or NULL.
     *
     * @param enc 1 to encrypt, 0 to decrypt, -1 to leave unchanged
     * @return 1 on success
     */
    public int cipherInitSetup(MemorySegment ctx, MemorySegment cipher, MemorySegment key, MemorySegment iv, int enc) {
        try {
            return (int) H.EVP_CIPHERINIT_EX_SETUP.invokeExact(ctx, cipher, MemorySegment.NULL, key, iv, enc);
        } catch (Throwable t) {
            throw NativeLibrary.unchecked(t);
        }
    }

    /**
     * {@code EVP_CIPHER_CTX_ctrl(ctx, type, arg, ptr)} as an ordinary downcall, for setup.
     *
     * @return 1 on success (0 or -1 on failure, depending on the control)
     */
    public int cipherCtxCtrlSetup(MemorySegment ctx, int type, int arg, MemorySegment ptr) {
        try {
            return (int) H.EVP_CIPHER_CTX_CTRL_SETUP.invokeExact(ctx, type, arg, ptr);
        } catch (Throwable t) {
            throw NativeLibrary.unchecked(t);
        }
    }

    // ---------------------------------------------------------------- per packet (critical downcalls)

    /**
     * {@code EVP_CipherInit_ex(ctx, NULL, NULL, NULL, iv, enc)}: a new IV (and direction) for the
     * cipher and key already set. Critical: {@code iv} may be a heap segment.
     *
     * @return 1 on success
     */
    public int cipherInitIv(MemorySegment ctx, MemorySegment iv, int enc) {
        try {
            return (int) H.EVP_CIPHERINIT_EX.invokeExact(ctx, MemorySegment.NULL, MemorySegment.NULL,
                MemorySegment.NULL, iv, enc);
        } catch (Throwable t) {
            throw NativeLibrary.unchecked(t);
        }
    }

    /**
     * {@code EVP_CIPHER_CTX_ctrl(ctx, type, arg, ptr)}, critical: {@code ptr} may be a heap segment.
     *
     * @return 1 on success (0 or -1 on failure, depending on the control)
     */
    public int cipherCtxCtrl(MemorySegment ctx, int type, int arg, MemorySegment ptr) {
        try {
            return (int) H.EVP_CIPHER_CTX_CTRL.invokeExact(ctx, type, arg, ptr);
        } catch (Throwable t) {
            throw NativeLibrary.unchecked(t);
        }
    }

    /**
     * {@code EVP_EncryptUpdate(ctx, out, outl, in, inl)}, critical. With {@code out} NULL, {@code in}
     * is additional authenticated data. {@code out == in} (exactly) encrypts in place.
     *
     * @return 1 on success; the number of bytes written is stored at {@code outl} (a C int)
     */
    public int encryptUpdate(MemorySegment ctx, MemorySegment out, MemorySegment outl, MemorySegment in, int inl) {
        try {
            return (int) H.EVP_ENCRYPTUPDATE.invokeExact(ctx, out, outl, in, inl);
        } catch (Throwable t) {
            throw NativeLibrary.unchecked(t);
        }
    }

    /** {@code EVP_EncryptFinal_ex(ctx, out, outl)}, critical. @return 1 on success */
    public int encryptFinal(MemorySegment ctx, MemorySegment out, MemorySegment outl) {
        try {
            return (int) H.EVP_ENCRYPTFINAL_EX.invokeExact(ctx, out, outl);
        } catch (Throwable t) {
            throw NativeLibrary.unchecked(t);
        }
    }

    /** {@code EVP_DecryptUpdate(ctx, out, outl, in, inl)}, critical; as {@link #encryptUpdate}. */
    public int decryptUpdate(MemorySegment ctx, MemorySegment out, MemorySegment outl, MemorySegment in, int inl) {
        try {
            return (int) H.EVP_DECRYPTUPDATE.invokeExact(ctx, out, outl, in, inl);
        } catch (Throwable t) {
            throw NativeLibrary.unchecked(t);
        }
    }

    /**
     * {@code EVP_DecryptFinal_ex(ctx, out, outl)}, critical. For an AEAD cipher this is where the
     * tag is checked: a result other than 1 means the data is not authentic.
     */
    public int decryptFinal(MemorySegment ctx, MemorySegment out, MemorySegment outl) {
        try {
            return (int) H.EVP_DECRYPTFINAL_EX.invokeExact(ctx, out, outl);
        } catch (Throwable t) {
            throw NativeLibrary.unchecked(t);
        }
    }

    // ---------------------------------------------------------------- errors

    /** {@code ERR_clear_error()}: empties this thread's OpenSSL error queue. */
    public void clearErrors() {
        try {
            H.ERR_CLEAR_ERROR.invokeExact();
        } catch (Throwable t) {
            throw NativeLibrary.unchecked(t);
        }
    }

    /**
     * Drains this thread's OpenSSL error queue ({@code ERR_get_error}, {@code ERR_error_string_n})
     * into one line such as {@code "error:1C800066:Provider routines::cipher operation failed"},
     * errors separated by "; ", or "no OpenSSL error queued" when it is empty.
     */
    public String lastErrors() {
        StringBuilder text = new StringBuilder();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(256);
            for (int i = 0; i < 16; i++) {
                long code = (long) H.ERR_GET_ERROR.invokeExact();
                if (code == 0) {
                    break;
                }
                H.ERR_ERROR_STRING_N.invokeExact(code, buf, buf.byteSize());
                if (!text.isEmpty()) {
                    text.append("; ");
                }
                text.append(buf.getString(0));
            }
            H.ERR_CLEAR_ERROR.invokeExact();
        } catch (Throwable t) {
            throw NativeLibrary.unchecked(t);
        }
        return text.isEmpty() ? "no OpenSSL error queued" : text.toString();
    }


    /** The handles, created on first use of an instance method (the library is known to be loaded by then). */
    private static final class H {
        private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
        /** unsigned long and size_t on LP64 Linux. */
        private static final ValueLayout.OfLong ULONG = ValueLayout.JAVA_LONG;
        private static final ValueLayout PTR = ValueLayout.ADDRESS;
        private static final Linker.Option CRITICAL = Linker.Option.critical(true);

        static final MethodHandle OPENSSL_VERSION_FN = lib().downcall("OpenSSL_version",
            FunctionDescriptor.of(PTR, INT));
        static final MethodHandle OPENSSL_VERSION_NUM = lib().downcall("OpenSSL_version_num",
            FunctionDescriptor.of(ULONG));
        static final MethodHandle EVP_CIPHER_CTX_NEW = lib().downcall("EVP_CIPHER_CTX_new",
            FunctionDescriptor.of(PTR));
        static final MethodHandle EVP_CIPHER_CTX_FREE = lib().downcall("EVP_CIPHER_CTX_free",
            FunctionDescriptor.ofVoid(PTR));
        static final MethodHandle EVP_AES_256_GCM = lib().downcall("EVP_aes_256_gcm",
            FunctionDescriptor.of(PTR));
        static final MethodHandle EVP_CHACHA20_POLY1305 = lib().downcall("EVP_chacha20_poly1305",
            FunctionDescriptor.of(PTR));

        private static final FunctionDescriptor CIPHER_INIT = FunctionDescriptor.of(INT, PTR, PTR, PTR, PTR, PTR, INT);
        private static final FunctionDescriptor CTRL = FunctionDescriptor.of(INT, PTR, INT, INT, PTR);
        private static final FunctionDescriptor UPDATE = FunctionDescriptor.of(INT, PTR, PTR, PTR, PTR, INT);
        private static final FunctionDescriptor FINAL = FunctionDescriptor.of(INT, PTR, PTR, PTR);

        static final MethodHandle EVP_CIPHERINIT_EX_SETUP = lib().downcall("EVP_CipherInit_ex", CIPHER_INIT);
        static final MethodHandle EVP_CIPHER_CTX_CTRL_SETUP = lib().downcall("EVP_CIPHER_CTX_ctrl", CTRL);

        static final MethodHandle EVP_CIPHERINIT_EX = lib().downcall("EVP_CipherInit_ex", CIPHER_INIT, CRITICAL);
        static final MethodHandle EVP_CIPHER_CTX_CTRL = lib().downcall("EVP_CIPHER_CTX_ctrl", CTRL, CRITICAL);
        static final MethodHandle EVP_ENCRYPTUPDATE = lib().downcall("EVP_EncryptUpdate", UPDATE, CRITICAL);
        static final MethodHandle EVP_ENCRYPTFINAL_EX = lib().downcall("EVP_EncryptFinal_ex", FINAL, CRITICAL);
        static final MethodHandle EVP_DECRYPTUPDATE = lib().downcall("EVP_DecryptUpdate", UPDATE, CRITICAL);
        static final MethodHandle EVP_DECRYPTFINAL_EX = lib().downcall("EVP_DecryptFinal_ex", FINAL, CRITICAL);

        static final MethodHandle ERR_GET_ERROR = lib().downcall("ERR_get_error", FunctionDescriptor.of(ULONG));
        static final MethodHandle ERR_ERROR_STRING_N = lib().downcall("ERR_error_string_n",
            FunctionDescriptor.ofVoid(ULONG, PTR, ULONG));
        static final MethodHandle ERR_CLEAR_ERROR = lib().downcall("ERR_clear_error", FunctionDescriptor.ofVoid());

        private H() {
        }

        private static NativeLibrary lib() {
            return LIBRARY;
        }
    }
}
