package io.qgate.crypto;

import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * A JCA {@link SecretKey} whose bytes qgate can wipe, for handing keys to JDK providers.
 * {@code javax.crypto.spec.SecretKeySpec} cannot be destroyed; this one can: {@link #destroy()}
 * zeroes the array it holds and later {@link #getEncoded()} calls fail. What a provider copies
 * out through {@code getEncoded()} is the provider's to wipe (SunJCE does for its cipher keys).
 * It never prints its contents and refuses serialisation.
 */
public final class JcaSecretKey implements SecretKey {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient byte[] bytes;
    private final String algorithm;
    private transient volatile boolean destroyed;

    private JcaSecretKey(byte[] bytes, String algorithm) {
        this.bytes = bytes;
        this.algorithm = algorithm;
    }

    /** Takes ownership of {@code owned}: it is zeroed by {@link #destroy()}. */
    public static JcaSecretKey owning(byte[] owned, String algorithm) {
        return new JcaSecretKey(owned, algorithm);
    }

    /** Holds a copy of {@code key}; the caller keeps responsibility for its own array. */
    public static JcaSecretKey copyOf(byte[] key, String algorithm) {
        return new JcaSecretKey(key.clone(), algorithm);
    }

    @Override
    public String getAlgorithm() {
        return algorithm;
    }

    @Override
    public String getFormat() {
        return "RAW";
    }

    /** A copy, as {@link java.security.Key#getEncoded()} requires. */
    @Override
    public byte[] getEncoded() {
        if (destroyed) {
            throw new IllegalStateException(algorithm + " key material was used after it was destroyed");
        }
        return bytes.clone();
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

    @Override
    public String toString() {
        return "JcaSecretKey[" + algorithm + ", " + bytes.length + " bytes" + (destroyed ? ", destroyed]" : "]");
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws NotSerializableException {
        throw new NotSerializableException("key material is never serialised");
    }
}
