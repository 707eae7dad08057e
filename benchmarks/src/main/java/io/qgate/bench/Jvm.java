package io.qgate.bench;

/**
 * The JVM flags every JMH fork gets, as compile-time constants for {@code @Fork(jvmArgsAppend)}:
 * FFM downcalls without warnings, Agrona's access to {@code jdk.internal.misc}, the JDK's ML-DSA
 * arithmetic (signing with precomputed keys), the JDK's AES-GCM internals (AES-256-GCM without the JCA), and {@code sun.misc.Unsafe} memory access (JMH and Agrona use it; JDK 25 warns otherwise).
 * The same flags as the {@code qgate.jvm.flags} property of the root pom and the launcher.
 */
public final class Jvm {
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    public static final String AGRONA_EXPORTS = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    /** The JDK's ML-DSA arithmetic, for signing with precomputed keys (crypto-native's JdkMlDsaPrecomputed). */
    public static final String ML_DSA_OPENS = "--add-opens=java.base/sun.security.provider=ALL-UNNAMED";
    /** The JDK's AES-GCM internals, for AES-256-GCM without the JCA (crypto-native's JdkAesGcm). */
    public static final String AES_GCM_OPENS = "--add-opens=java.base/com.sun.crypto.provider=ALL-UNNAMED";
    public static final String UNSAFE_ALLOW = "--sun-misc-unsafe-memory-access=allow";

    private Jvm() {
    }
}
