package io.qgate.crypto;

import java.lang.invoke.MethodType;

/**
 * Helpers for the method handles qgate keeps into the JDK's own cryptography (ML-DSA's arithmetic
 * in {@code sun.security.provider}, AES-GCM's in {@code com.sun.crypto.provider}), whose classes
 * qgate's code cannot name.
 */
public final class JdkInternals {
    private JdkInternals() {
    }

    /**
     * {@code type} with every class outside {@code java.*} that is neither primitive nor an array
     * replaced by {@link Object}, so that a handle adapted to it can be called with {@code invokeExact} from
     * code that holds the JDK's objects as {@code Object}.
     */
    public static MethodType opaque(MethodType type) {
        MethodType t = type.changeReturnType(opaque(type.returnType()));
        for (int i = 0; i < t.parameterCount(); i++) {
            t = t.changeParameterType(i, opaque(t.parameterType(i)));
        }
        return t;
    }

    private static Class<?> opaque(Class<?> c) {
        return c.isPrimitive() || c.isArray() || c.getPackageName().startsWith("java.") ? c : Object.class;
    }
}
