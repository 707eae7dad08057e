package io.qgate.crypto;

import java.lang.invoke.MethodHandle;
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
    private static MethodType opaque(MethodType type) {
        MethodType t = type.changeReturnType(opaque(type.returnType()));
        for (int i = 0; i < t.parameterCount(); i++) {
            t = t.changeParameterType(i, opaque(t.parameterType(i)));
        }
        return t;
    }

    /** Adapts each of {@code handles}, in place, to its {@link #opaque(MethodType)} type. */
    public static void makeOpaque(MethodHandle[] handles) {
        for (int i = 0; i < handles.length; i++) {
            handles[i] = handles[i].asType(opaque(handles[i].type()));
        }
    }

    /**
     * Why the handles could not be made, in one line that names the cause and what to do: the
     * package was not opened to qgate (a missing {@code --add-opens}), or this JDK's classes differ
     * from JDK 25's, which qgate's code is written against (a missing class, method or field, or a
     * type that does not convert).
     *
     * @param e what looking up or adapting the handles threw
     * @param internals the JDK code, as in "this JDK's {@code ML-DSA}"
     * @param openedPackage the package the flag opens, such as {@code java.base/sun.security.provider}
     * @param user qgate's code that needs them, as in "{@code qgate's precomputed signer} is written against JDK 25"
     */
    public static String whyUnavailable(Exception e, String internals, String openedPackage, String user) {
        if (e instanceof IllegalAccessException) {
            return "the JVM was started without --add-opens " + openedPackage + "=ALL-UNNAMED";
        }
        if (e instanceof ReflectiveOperationException) {
            return "this JDK's " + internals + " has no " + e.getMessage() + " (" + user + " is written against JDK 25)";
        }
        return "this JDK's " + internals + " internals are not JDK 25's (" + e.getMessage() + ")";
    }

    private static Class<?> opaque(Class<?> c) {
        return c.isPrimitive() || c.isArray() || c.getPackageName().startsWith("java.") ? c : Object.class;
    }
}
