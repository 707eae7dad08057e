package io.qgate.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.junit.jupiter.api.Test;

class JdkInternalsTest {
    @Test
    void handlesTakeAndReturnObjectForClassesOutsideJavaOnly() throws ReflectiveOperationException {
        MethodHandle[] h = {
            MethodHandles.lookup().findStatic(JdkInternalsTest.class, "sample",
                MethodType.methodType(ChildJvm.class, Backend.class, String.class, int[].class, long.class)),
        };
        JdkInternals.makeOpaque(h);
        assertEquals(MethodType.methodType(Object.class, Object.class, String.class, int[].class, long.class), h[0].type());
    }

    @Test
    void saysWhyInOneLineForEachCause() {
        assertEquals("the JVM was started without --add-opens java.base/x.y=ALL-UNNAMED",
            JdkInternals.whyUnavailable(new IllegalAccessException("closed"), "X", "java.base/x.y", "qgate's z"));
        assertEquals("this JDK's X has no no such method: x.Y.f() (qgate's z is written against JDK 25)",
            JdkInternals.whyUnavailable(new NoSuchMethodException("no such method: x.Y.f()"), "X", "java.base/x.y", "qgate's z"));
        assertEquals("this JDK's X has no x.Y (qgate's z is written against JDK 25)",
            JdkInternals.whyUnavailable(new ClassNotFoundException("x.Y"), "X", "java.base/x.y", "qgate's z"));
        assertEquals("this JDK's X internals are not JDK 25's (cannot convert)",
            JdkInternals.whyUnavailable(new ClassCastException("cannot convert"), "X", "java.base/x.y", "qgate's z"));
    }

    private static ChildJvm sample(Backend backend, String name, int[] values, long count) {
        return null; // only its type is looked at
    }
}
