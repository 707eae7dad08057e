package io.qgate.ffm;

/** A native library or one of its functions cannot be found; the message says how to install it. */
public final class NativeLibraryUnavailableException extends RuntimeException {
    public NativeLibraryUnavailableException(String message) {
        super(message);
    }
}
