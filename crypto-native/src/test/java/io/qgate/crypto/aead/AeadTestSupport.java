package io.qgate.crypto.aead;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qgate.crypto.Backend;
import io.qgate.crypto.SecretBytes;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.SplittableRandom;

/** Buffers of each kind, backends, and byte helpers shared by the AEAD tests. */
final class AeadTestSupport {
    /** The AEAD backends. */
    static final List<Backend> BACKENDS = List.of(Backend.JDK, Backend.OPENSSL);

    private AeadTestSupport() {
    }

    /** Where a segment's memory lives. */
    enum Kind {
        /** {@link MemorySegment#ofArray(byte[])} of an array of exactly the capacity. */
        HEAP,
        /** A slice starting 7 bytes into a larger array, to check that array offsets are honoured. */
        HEAP_OFFSET,
        /** Native memory. */
        OFFHEAP;

        /** A writable segment of {@code capacity} bytes holding {@code content} at offset 0 and 0x5a after it. */
        MemorySegment of(byte[] content, int capacity) {
            MemorySegment s = switch (this) {
                case HEAP -> MemorySegment.ofArray(new byte[capacity]);
                case HEAP_OFFSET -> MemorySegment.ofArray(new byte[capacity + 11]).asSlice(7, capacity);
                case OFFHEAP -> Arena.ofAuto().allocate(Math.max(capacity, 1), 1).asSlice(0, capacity);
            };
            s.fill((byte) 0x5a);
            MemorySegment.copy(content, 0, s, ValueLayout.JAVA_BYTE, 0, content.length);
            return s;
        }

        MemorySegment of(byte[] content) {
            return of(content, content.length);
        }

        String id() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    /** Skips the test when {@code backend} is not installed here, and fails under CI. */
    static void assumeAvailable(Backend backend) {
        String reason = Aeads.unavailableReason(backend);
        if (reason != null && System.getenv("CI") != null) {
            fail(reason);
        }
        assumeTrue(reason == null, reason);
    }

    static AeadCipher cipher(Backend backend, AeadAlgorithm algorithm, byte[] key) {
        try (SecretBytes secret = SecretBytes.copyOf(key)) {
            return Aeads.create(backend, algorithm, secret);
        }
    }

    static byte[] bytes(MemorySegment s, int length) {
        return s.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static byte[] random(SplittableRandom random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    /** A 12-byte nonce carrying {@code counter}, as a data plane would build one. */
    static byte[] nonce(long counter) {
        byte[] n = new byte[AeadAlgorithm.NONCE_LENGTH];
        for (int i = 0; i < 8; i++) {
            n[4 + i] = (byte) (counter >>> (56 - 8 * i));
        }
        return n;
    }

    static void assertZero(MemorySegment s, int length, String what) {
        assertArrayEquals(new byte[length], bytes(s, length), what + ": buffer[0, " + length + ") must be zeroed");
    }
}
