package io.qgate.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * A shared library found by soname and its downcall handles.
 *
 * <p>The library is opened once into the global arena and stays loaded for the life of the
 * process, as a dynamic linker would keep it. Every failure names the library, what was tried
 * and how to install it.
 */
public final class NativeLibrary {
    private static final Linker LINKER = Linker.nativeLinker();

    private final String displayName;
    private final String loadedSoname;
    private final SymbolLookup lookup;

    private NativeLibrary(String displayName, String loadedSoname, SymbolLookup lookup) {
        this.displayName = displayName;
        this.loadedSoname = loadedSoname;
        this.lookup = lookup;
    }

    /**
     * Opens the first of {@code sonames} that the dynamic linker can find.
     *
     * @param displayName what the library is, for messages ("OpenSSL libcrypto")
     * @param installHint how a user gets it ("install the Debian package libssl3")
     * @param sonames the names to try, most specific first ("libcrypto.so.3", "libcrypto.so")
     * @throws NativeLibraryUnavailableException if none can be opened
     */
    public static NativeLibrary load(String displayName, String installHint, List<String> sonames) {
        for (String soname : sonames) {
            try {
                return new NativeLibrary(displayName, soname, SymbolLookup.libraryLookup(soname, Arena.global()));
            } catch (IllegalArgumentException notFound) {
                // try the next name
            }
        }
        throw new NativeLibraryUnavailableException(
            displayName + " is not installed (tried " + String.join(", ", sonames) + "): " + installHint + ".");
    }

    /** The soname that was opened. */
    public String soname() {
        return loadedSoname;
    }

    /** Whether the library exports {@code symbol}. */
    public boolean has(String symbol) {
        return lookup.find(symbol).isPresent();
    }

    /**
     * A downcall handle for {@code symbol}.
     *
     * @throws NativeLibraryUnavailableException if the library does not export it (too old a version)
     */
    public MethodHandle downcall(String symbol, FunctionDescriptor descriptor, Linker.Option... options) {
        var address = lookup.find(symbol).orElseThrow(() -> new NativeLibraryUnavailableException(
            displayName + " (" + loadedSoname + ") has no function " + symbol + ": install a newer version."));
        return LINKER.downcallHandle(address, descriptor, options);
    }

    /**
     * What a downcall's {@code invokeExact} threw, as an unchecked exception to throw: runtime
     * exceptions and errors as they are, anything else (which a downcall never throws) wrapped.
     * Use as {@code catch (Throwable t) { throw NativeLibrary.unchecked(t); }}.
     */
    public static RuntimeException unchecked(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("unexpected checked exception from a native call", t);
    }

    @Override
    public String toString() {
        return displayName + " (" + loadedSoname + ")";
    }
}
