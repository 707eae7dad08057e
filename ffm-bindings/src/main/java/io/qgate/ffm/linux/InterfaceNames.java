package io.qgate.ffm.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * Network interface names as the kernel accepts them, and the libc lookups between a name and its
 * index ({@code if_nametoindex}, {@code if_indextoname}). Cold path only.
 */
final class InterfaceNames {
    /** {@code IFNAMSIZ} from {@code linux/if.h}: 16 bytes including the terminating NUL. */
    static final int IFNAMSIZ = 16;

    private static final MethodHandle NAME_TO_INDEX = Libc.downcall("if_nametoindex",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle INDEX_TO_NAME = Libc.downcall("if_indextoname",
        FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));

    private InterfaceNames() {
    }

    /**
     * The bytes of {@code name} after checking that the kernel can take it: 1 to 15 printable
     * ASCII characters without '/', ':' or spaces ({@code dev_valid_name} in net/core/dev.c).
     *
     * @throws IllegalArgumentException naming the fault
     */
    static byte[] validate(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("an interface name is needed (1 to 15 characters, such as qg0)");
        }
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length > IFNAMSIZ - 1) {
            throw new IllegalArgumentException("interface name '" + name + "' is " + bytes.length
                + " characters long; Linux allows at most " + (IFNAMSIZ - 1));
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '/' || c == ':') {
                throw new IllegalArgumentException("interface name '" + name
                    + "' may hold only printable ASCII characters other than '/', ':' and space");
            }
        }
        return bytes;
    }

    /** The index of interface {@code name}, or 0 when there is none. */
    static int index(String name) {
        validate(name);
        try (Arena arena = Arena.ofConfined()) {
            return (int) NAME_TO_INDEX.invokeExact(Libc.callState(), arena.allocateFrom(name));
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
    }

    /** The name of interface {@code index}, or "interface #index" when there is none (for messages). */
    static String name(int index) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(IFNAMSIZ);
            MemorySegment result = (MemorySegment) INDEX_TO_NAME.invokeExact(Libc.callState(), index, buffer);
            return result.address() == 0 ? "interface #" + index : buffer.getString(0);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
    }
}
