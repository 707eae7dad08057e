package io.qgate.ffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.ffm.oqs.LibOqs;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

class NativeLibraryTest {
    @Test
    void loadsTheFirstSonameThatExistsAndCallsIntoIt() throws Throwable {
        NativeLibrary libc = NativeLibrary.load("libc", "it is part of every Linux system",
            List.of("libqgate-does-not-exist.so.1", "libc.so.6"));
        assertEquals("libc.so.6", libc.soname());
        assertTrue(libc.has("getpid"));
        var getpid = libc.downcall("getpid", FunctionDescriptor.of(ValueLayout.JAVA_INT));
        assertEquals(ProcessHandle.current().pid(), (int) getpid.invokeExact());
    }

    @Test
    void missingLibraryNamesWhatWasTriedAndHowToInstall() {
        var e = assertThrows(NativeLibraryUnavailableException.class, () -> NativeLibrary.load(
            "libexample", "install the package libexample1", List.of("libqgate-nope.so.2", "libqgate-nope.so")));
        assertEquals("libexample is not installed (tried libqgate-nope.so.2, libqgate-nope.so): install the package libexample1.",
            e.getMessage());
    }

    @Test
    void missingFunctionNamesTheFunction() {
        NativeLibrary libc = NativeLibrary.load("libc", "-", List.of("libc.so.6"));
        assertFalse(libc.has("qgate_no_such_function"));
        var e = assertThrows(NativeLibraryUnavailableException.class,
            () -> libc.downcall("qgate_no_such_function", FunctionDescriptor.ofVoid()));
        assertEquals("libc (libc.so.6) has no function qgate_no_such_function: install a newer version.", e.getMessage());
    }

    @Test
    void uncheckedPassesRuntimeExceptionsAndErrorsThroughAndWrapsTheRest() {
        var runtime = new IllegalArgumentException("bad");
        assertEquals(runtime, NativeLibrary.unchecked(runtime));
        var error = new OutOfMemoryError("native");
        assertEquals(error, assertThrows(OutOfMemoryError.class, () -> NativeLibrary.unchecked(error)));
        var checked = new java.io.IOException("io");
        RuntimeException wrapped = NativeLibrary.unchecked(checked);
        assertEquals(IllegalStateException.class, wrapped.getClass());
        assertEquals(checked, wrapped.getCause());
    }

    @Test
    void libOqsReportsWhyItIsAbsentOrLoads() {
        if (LibOqs.isAvailable()) {
            assertTrue(LibOqs.library().has("OQS_KEM_new"));
            assertEquals(null, LibOqs.unavailableReason());
        } else {
            assertTrue(LibOqs.unavailableReason().startsWith("liboqs is not installed (tried liboqs.so.9"),
                LibOqs.unavailableReason());
            assertThrows(NativeLibraryUnavailableException.class, LibOqs::library);
        }
    }
}
