package io.qgate.crypto;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The implementations qgate can run its cryptography on. */
public enum Backend {
    /** The JDK's own providers (SunJCE, SUN): intrinsics for AES-GCM, built-in ML-KEM and ML-DSA. */
    JDK("jdk"),
    /** OpenSSL libcrypto through FFM (AEAD). */
    OPENSSL("openssl"),
    /** Bouncy Castle's lightweight API, for what the JDK lacks (SLH-DSA, Falcon, SHAKE family). */
    BOUNCY_CASTLE("bouncycastle"),
    /** liboqs through FFM, used only when the library is installed. */
    LIBOQS("liboqs");

    private final String id;

    Backend(String id) {
        this.id = id;
    }

    /** The name used in configuration files and on the command line. */
    public String id() {
        return id;
    }

    /** Parses a configuration name such as {@code openssl}. */
    public static Backend fromId(String id) {
        for (Backend b : values()) {
            if (b.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown crypto backend '" + id + "': use one of "
            + Arrays.stream(values()).map(Backend::id).collect(Collectors.joining(", ")));
    }
}
