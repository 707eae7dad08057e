package io.qgate.ffm.oqs;

import io.qgate.ffm.NativeLibrary;
import io.qgate.ffm.NativeLibraryUnavailableException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Objects;

/**
 * One liboqs signature algorithm ({@code OQS_SIG}), through FFM.
 *
 * <p>Binds {@code OQS_SIG_new}, {@code OQS_SIG_keypair}, {@code OQS_SIG_sign},
 * {@code OQS_SIG_sign_with_ctx_str}, {@code OQS_SIG_verify}, {@code OQS_SIG_verify_with_ctx_str}
 * and {@code OQS_SIG_free} of liboqs 0.10 and newer (context strings from 0.12). The key and
 * signature lengths are read from the {@code OQS_SIG} struct: on LP64 it starts with two
 * pointers, a {@code uint8_t} and up to three {@code bool}s, so {@code length_public_key},
 * {@code length_secret_key} and {@code length_signature} sit at offsets 24, 32 and 40 in every
 * release since 0.10. Secret keys are copied into native memory that is zeroed before it is freed.
 *
 * <p>Thread safety: after construction the object is immutable and the liboqs functions are
 * reentrant, so any number of threads may sign and verify at once; {@link #close()} must come
 * after the last use.
 */
public final class OqsSig implements AutoCloseable {
    private static final long OFFSET_METHOD_NAME = 0;
    private static final long OFFSET_SIG_WITH_CTX_SUPPORT = 19;
    private static final long OFFSET_LENGTH_PUBLIC_KEY = 24;
    private static final long OFFSET_LENGTH_SECRET_KEY = 32;
    private static final long OFFSET_LENGTH_SIGNATURE = 40;
    private static final long STRUCT_PREFIX = 48;
    private static final int OQS_SUCCESS = 0;

    private final String methodName;
    private final Bindings bindings;
    private final MemorySegment sig;
    private final int publicKeyLength;
    private final int secretKeyLength;
    private final int maxSignatureLength;
    private final boolean contextSupported;
    private volatile boolean closed;

    private OqsSig(String methodName, Bindings bindings, MemorySegment sig) {
        this.methodName = methodName;
        this.bindings = bindings;
        this.sig = sig;
        this.publicKeyLength = Math.toIntExact(sig.get(ValueLayout.JAVA_LONG, OFFSET_LENGTH_PUBLIC_KEY));
        this.secretKeyLength = Math.toIntExact(sig.get(ValueLayout.JAVA_LONG, OFFSET_LENGTH_SECRET_KEY));
        this.maxSignatureLength = Math.toIntExact(sig.get(ValueLayout.JAVA_LONG, OFFSET_LENGTH_SIGNATURE));
        this.contextSupported = bindings.signWithContext != null && sig.get(ValueLayout.JAVA_BOOLEAN, OFFSET_SIG_WITH_CTX_SUPPORT);
    }

    /**
     * Opens the liboqs algorithm named {@code methodName} ("ML-DSA-65", "Falcon-512",
     * "SLH_DSA_PURE_SHAKE_128F", ...).
     *
     * @throws NativeLibraryUnavailableException if liboqs is absent or too old
     * @throws IllegalArgumentException if this liboqs build does not enable the algorithm
     */
    public static OqsSig open(String methodName) {
        Objects.requireNonNull(methodName, "methodName");
        Bindings b = Bindings.get();
        MemorySegment handle;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(methodName);
            handle = (MemorySegment) b.sigNew.invokeExact(name);
        } catch (Throwable t) {
            throw NativeLibrary.unchecked(t);
        }
        if (handle.equals(MemorySegment.NULL)) {
            throw new IllegalArgumentException("liboqs (" + LibOqs.library().soname() + ") does not enable the signature algorithm "
                + methodName + ": rebuild liboqs with it enabled or choose another backend");
        }
        MemorySegment struct = handle.reinterpret(STRUCT_PREFIX);
        MemorySegment reportedName = struct.get(ValueLayout.ADDRESS, OFFSET_METHOD_NAME).reinterpret(256);
        if (!methodName.equals(reportedName.getString(0))) {
            free(b, handle);
            throw new IllegalStateException("liboqs returned algorithm " + reportedName.getString(0) + " for " + methodName);
        }
        return new OqsSig(methodName, b, struct);
    }

    public String methodName() {
        return methodName;
    }

    public int publicKeyLength() {
        return publicKeyLength;
    }

    public int secretKeyLength() {
        return secretKeyLength;
    }

    /** The largest signature this algorithm produces; some (Falcon) produce shorter ones. */
    public int maxSignatureLength() {
        return maxSignatureLength;
    }

    /** Whether this algorithm and liboqs release accept context strings. */
    public boolean supportsContext() {
        return contextSupported;
    }

    /**
     * Generates a key pair into {@code publicKey} and {@code secretKey}, which must have exactly
     * {@link #publicKeyLength()} and {@link #secretKeyLength()} bytes.
     */
    public void keypair(byte[] publicKey, byte[] secretKey) {
        checkLength(publicKey, publicKeyLength, "public key");
        checkLength(secretKey, secretKeyLength, "secret key");
        checkOpen();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pk = arena.allocate(publicKeyLength);
            MemorySegment sk = arena.allocate(secretKeyLength);
            try {
                int status = (int) bindings.keypair.invokeExact(sig, pk, sk);
                requireSuccess(status, "OQS_SIG_keypair");
                MemorySegment.copy(pk, ValueLayout.JAVA_BYTE, 0, publicKey, 0, publicKeyLength);
                MemorySegment.copy(sk, ValueLayout.JAVA_BYTE, 0, secretKey, 0, secretKeyLength);
            } finally {
                sk.fill((byte) 0);
            }
        } catch (Throwable t) {
            throw NativeLibrary.unchecked(t);
        }
    }

    /**
     * Signs {@code message} with {@code secretKey}; a non-empty {@code context} needs
     * {@link #supportsContext()}.
     *
     * @return the signature, trimmed to its actual length
     */
    public byte[] sign(byte[] message, byte[] context, byte[] secretKey) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(context, "context");
        checkLength(secretKey, secretKeyLength, "secret key");
        requireContextSupport(context);
        checkOpen();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sk = arena.allocate(secretKeyLength);
            try {
                MemorySegment.copy(secretKey, 0, sk, ValueLayout.JAVA_BYTE, 0, secretKeyLength);
                MemorySegment signature = arena.allocate(maxSignatureLength);
                MemorySegment signatureLength = arena.allocate(ValueLayout.JAVA_LONG);
                MemorySegment msg = copyIn(arena, message);
                int status = context.length == 0
                    ? (int) bindings.sign.invokeExact(sig, signature, signatureLength, msg, (long) message.length, sk)
                    : (int) bindings.signWithContext.invokeExact(sig, signature, signatureLength, msg, (long) message.length,
                        copyIn(arena, context), (long) context.length, sk);
                requireSuccess(status, "OQS_SIG_sign");
                long length = signatureLength.get(ValueLayout.JAVA_LONG, 0);
                if (length < 0 || length > maxSignatureLength) {
                    throw new IllegalStateException("liboqs reported a signature of " + length + " bytes for " + methodName);
                }
                return signature.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
            } finally {
                sk.fill((byte) 0);
            }
        } catch (Throwable t) {
            throw NativeLibrary.unchecked(t);
        }
    }

    /** Whether {@code signature} verifies; false for any bad signature or length. */
    public boolean verify(byte[] message, byte[] context, byte[] signature, byte[] publicKey) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(signature, "signature");
        checkLength(publicKey, publicKeyLength, "public key");
        requireContextSupport(context);
        if (signature.length == 0 || signature.length > maxSignatureLength) {
            return false;
        }
        checkOpen();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment msg = copyIn(arena, message);
            MemorySegment sg = copyIn(arena, signature);
            MemorySegment pk = copyIn(arena, publicKey);
            int status = context.length == 0
                ? (int) bindings.verify.invokeExact(sig, msg, (long) message.length, sg, (long) signature.length, pk)
                : (int) bindings.verifyWithContext.invokeExact(sig, msg, (long) message.length, sg, (long) signature.length,
                    copyIn(arena, context), (long) context.length, pk);
            return status == OQS_SUCCESS;
        } catch (Throwable t) {
            throw NativeLibrary.unchecked(t);
        }
    }

    /** Frees the {@code OQS_SIG}; later calls fail. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            free(bindings, sig);
        }
    }

    @Override
    public String toString() {
        return "OqsSig[" + methodName + "]";
    }

    private void requireContextSupport(byte[] context) {
        if (context.length != 0 && !contextSupported) {
            throw new UnsupportedOperationException("liboqs " + methodName
                + " does not accept context strings here (liboqs 0.12 or newer is needed): pass an empty context");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the liboqs " + methodName + " object was closed");
        }
    }

    private static void checkLength(byte[] value, int expected, String what) {
        Objects.requireNonNull(value, what);
        if (value.length != expected) {
            throw new IllegalArgumentException("the " + what + " is " + value.length + " bytes but liboqs expects " + expected);
        }
    }

    private static MemorySegment copyIn(Arena arena, byte[] bytes) {
        MemorySegment segment = arena.allocate(Math.max(1, bytes.length));
        MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return segment;
    }

    private void requireSuccess(int status, String function) {
        if (status != OQS_SUCCESS) {
            throw new IllegalStateException(function + " failed for " + methodName + " (status " + status + ")");
        }
    }

    private static void free(Bindings b, MemorySegment handle) {
        try {
            b.sigFree.invokeExact(handle);
        } catch (Throwable t) {
            throw NativeLibrary.unchecked(t);
        }
    }


    /** The downcall handles, created once when liboqs is first used. */
    private static final class Bindings {
        private static volatile Bindings instance;

        final MethodHandle sigNew;
        final MethodHandle sigFree;
        final MethodHandle keypair;
        final MethodHandle sign;
        final MethodHandle signWithContext;
        final MethodHandle verify;
        final MethodHandle verifyWithContext;

        private Bindings(NativeLibrary lib) {
            ValueLayout ptr = ValueLayout.ADDRESS;
            ValueLayout size = ValueLayout.JAVA_LONG;
            ValueLayout status = ValueLayout.JAVA_INT;
            sigNew = lib.downcall("OQS_SIG_new", FunctionDescriptor.of(ptr, ptr));
            sigFree = lib.downcall("OQS_SIG_free", FunctionDescriptor.ofVoid(ptr));
            keypair = lib.downcall("OQS_SIG_keypair", FunctionDescriptor.of(status, ptr, ptr, ptr));
            sign = lib.downcall("OQS_SIG_sign", FunctionDescriptor.of(status, ptr, ptr, ptr, ptr, size, ptr));
            verify = lib.downcall("OQS_SIG_verify", FunctionDescriptor.of(status, ptr, ptr, size, ptr, size, ptr));
            boolean hasContext = lib.has("OQS_SIG_sign_with_ctx_str") && lib.has("OQS_SIG_verify_with_ctx_str");
            signWithContext = hasContext
                ? lib.downcall("OQS_SIG_sign_with_ctx_str", FunctionDescriptor.of(status, ptr, ptr, ptr, ptr, size, ptr, size, ptr))
                : null;
            verifyWithContext = hasContext
                ? lib.downcall("OQS_SIG_verify_with_ctx_str", FunctionDescriptor.of(status, ptr, ptr, size, ptr, size, ptr, size, ptr))
                : null;
        }

        static Bindings get() {
            Bindings b = instance;
            if (b == null) {
                synchronized (Bindings.class) {
                    b = instance;
                    if (b == null) {
                        b = new Bindings(LibOqs.library());
                        instance = b;
                    }
                }
            }
            return b;
        }
    }
}
