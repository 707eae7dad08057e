package io.qgate.engine.control;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A heap dump of this JVM (HPROF, written by {@link HotSpotDiagnosticMXBean#dumpHeap}) and a
 * search of its bytes. HPROF stores a {@code byte[]} as its raw bytes, so a 32-byte secret held in
 * a byte array anywhere on the heap appears in the file as it is.
 */
final class HeapDump {
    /** Mapped a window at a time; the windows overlap by a needle's length so no match is split. */
    private static final long WINDOW = 1L << 30;

    private HeapDump() {
    }

    /**
     * Writes the heap to {@code file}: with {@code liveOnly} only objects still reachable (the JVM
     * collects garbage first), else every object, garbage not yet collected included.
     */
    static void write(Path file, boolean liveOnly) throws IOException {
        Files.deleteIfExists(file); // dumpHeap refuses an existing file
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(file.toString(), liveOnly);
    }

    /** For each needle (all of one length, at least 2 bytes), whether it occurs in {@code file}. */
    static boolean[] contains(Path file, List<byte[]> needles) throws IOException {
        int length = needles.getFirst().length;
        // Index the needles by their first two bytes: nearly every offset of the file is rejected by one lookup.
        BitSet heads = new BitSet(1 << 16);
        List<List<Integer>> byHead = new ArrayList<>(1 << 16);
        for (int i = 0; i < 1 << 16; i++) {
            byHead.add(null);
        }
        for (int n = 0; n < needles.size(); n++) {
            byte[] needle = needles.get(n);
            if (needle.length != length) {
                throw new IllegalArgumentException("needles must be of one length: " + needle.length + " != " + length);
            }
            int head = (needle[0] & 0xFF) << 8 | needle[1] & 0xFF;
            heads.set(head);
            if (byHead.get(head) == null) {
                byHead.set(head, new ArrayList<>());
            }
            byHead.get(head).add(n);
        }
        boolean[] found = new boolean[needles.size()];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            for (long start = 0; start + length <= size; start += WINDOW) {
                MappedByteBuffer window = channel.map(FileChannel.MapMode.READ_ONLY, start,
                    Math.min(size - start, WINDOW + length - 1));
                int last = window.limit() - length;
                for (int i = 0; i <= last; i++) {
                    int head = (window.get(i) & 0xFF) << 8 | window.get(i + 1) & 0xFF;
                    if (heads.get(head)) {
                        for (int n : byHead.get(head)) {
                            found[n] |= matches(window, i, needles.get(n));
                        }
                    }
                }
            }
        }
        return found;
    }

    private static boolean matches(MappedByteBuffer window, int at, byte[] needle) {
        for (int j = 2; j < needle.length; j++) {
            if (window.get(at + j) != needle[j]) {
                return false;
            }
        }
        return true;
    }
}
