package io.qgate.crypto;

import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * Secret key material that can be destroyed: {@link #destroy()} overwrites it with zeros and
 * every later access fails. It never prints its contents and compares in constant time.
 *
 * <p>Not thread-safe: one owner uses it and destroys it when the key is retired.
 */
public final class SecretBytes implements Destroyable, AutoCloseable {
    private final byte[] bytes;
    private boolean destroyed;

    private SecretBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Takes a copy of {@code source}; the caller remains responsible for wiping its own array. */
    public static SecretBytes copyOf(byte[] source) {
        return new SecretBytes(source.clone());
    }

    /** Takes ownership of {@code owned}: it is wiped when this is destroyed. */
    public static SecretBytes wrap(byte[] owned) {
        return new SecretBytes(owned);
    }

    public int length() {
        return bytes.length;
    }

    /**
     * The live bytes, for handing to a cipher or KDF. Do not keep the reference and do not
     * modify it; it is wiped by {@link #destroy()}.
     */
    public byte[] bytes() {
        checkLive();
        return bytes;
    }

    /** A copy the caller owns and must wipe. */
    public byte[] copy() {
        checkLive();
        return bytes.clone();
    }

    /** Constant-time equality of contents. */
    public boolean equalsConstantTime(SecretBytes other) {
        return ConstantTime.equals(bytes(), other.bytes());
    }

    @Override
    public void destroy() {
        Arrays.fill(bytes, (byte) 0);
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    /** Same as {@link #destroy()}, for try-with-resources. */
    @Override
    public void close() {
        destroy();
    }

    @Override
    public String toString() {
        return "SecretBytes[" + bytes.length + " bytes" + (destroyed ? ", destroyed]" : "]");
    }

    private void checkLive() {
        if (destroyed) {
            throw new IllegalStateException("secret key material was used after it was destroyed");
        }
    }
}
