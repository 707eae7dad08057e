package io.qgate.ffm.oqs;

import io.qgate.ffm.NativeLibrary;
import io.qgate.ffm.NativeLibraryUnavailableException;
import java.lang.foreign.FunctionDescriptor;
import java.util.List;

/**
 * liboqs (Open Quantum Safe), loaded only when it is installed.
 *
 * <p>No package registry reachable from qgate's build machines provides liboqs, so on most
 * machines {@link #isAvailable()} is false and {@link #library()} throws with the reason.
 * Build it from source (cmake -DBUILD_SHARED_LIBS=ON) and install it where the dynamic
 * linker looks to enable this backend.
 */
public final class LibOqs {
    /** Sonames of liboqs releases 0.8 to 0.15 and the unversioned development link. */
    static final List<String> SONAMES = List.of(
        "liboqs.so.9", "liboqs.so.8", "liboqs.so.7", "liboqs.so.6", "liboqs.so.5", "liboqs.so");

    private static final Holder HOLDER = new Holder();

    private LibOqs() {
    }

    /** Whether liboqs could be loaded. */
    public static boolean isAvailable() {
        return HOLDER.library != null;
    }

    /** Why liboqs is not available, or null when it is. */
    public static String unavailableReason() {
        return HOLDER.failure == null ? null : HOLDER.failure.getMessage();
    }

    /** The loaded library, initialised ({@code OQS_init}, where the version has it) once. */
    public static NativeLibrary library() {
        if (HOLDER.library == null) {
            throw HOLDER.failure;
        }
        return HOLDER.library;
    }

    private static final class Holder {
        final NativeLibrary library;
        final NativeLibraryUnavailableException failure;

        Holder() {
            NativeLibrary loaded = null;
            NativeLibraryUnavailableException error = null;
            try {
                loaded = NativeLibrary.load("liboqs", "no package registry reachable here provides it;"
                    + " build liboqs from source with -DBUILD_SHARED_LIBS=ON and install it to enable the liboqs backend", SONAMES);
            } catch (NativeLibraryUnavailableException e) {
                error = e;
            }
            if (loaded != null && loaded.has("OQS_init")) {
                try {
                    loaded.downcall("OQS_init", FunctionDescriptor.ofVoid()).invokeExact();
                } catch (Throwable t) {
                    throw NativeLibrary.unchecked(t);
                }
            }
            library = loaded;
            failure = error;
        }
    }
}
