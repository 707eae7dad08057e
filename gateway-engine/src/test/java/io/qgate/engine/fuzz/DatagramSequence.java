package io.qgate.engine.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a fuzz target that takes several datagrams reads them from one fuzz input: records of
 * {@code u8 selector ‖ u16 length ‖ bytes[length]}, the last one cut short by the end of the
 * input. The selector is the target's to interpret (a source address, a time step). Any input
 * splits into some records, so every mutation the fuzzer makes is a valid sequence; at most
 * {@link #MAX_RECORDS} are read so one input stays cheap.
 */
public final class DatagramSequence {
    /** Records read from one input at most. */
    public static final int MAX_RECORDS = 64;

    /** One datagram of a sequence and its selector byte (0..255). */
    public record Entry(int selector, byte[] datagram) {
    }

    private DatagramSequence() {
    }

    /** The records of {@code input}; a trailing byte or two too short for a header are ignored. */
    public static List<Entry> split(byte[] input) {
        List<Entry> entries = new ArrayList<>();
        int position = 0;
        while (input.length - position >= 3 && entries.size() < MAX_RECORDS) {
            int selector = input[position] & 0xFF;
            int declared = (input[position + 1] & 0xFF) << 8 | input[position + 2] & 0xFF;
            position += 3;
            int length = Math.min(declared, input.length - position);
            entries.add(new Entry(selector, Arrays.copyOfRange(input, position, position + length)));
            position += length;
        }
        return entries;
    }

    /** The input that {@link #split} turns back into {@code entries} (a seed). */
    public static byte[] join(List<Entry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Entry entry : entries) {
            if (entry.datagram().length > 0xFFFF) {
                throw new IllegalArgumentException("a datagram of " + entry.datagram().length + " bytes does not fit a record");
            }
            out.write(entry.selector());
            out.write(entry.datagram().length >>> 8);
            out.write(entry.datagram().length);
            out.writeBytes(entry.datagram());
        }
        return out.toByteArray();
    }

    /** {@link #join} of datagrams that all carry {@code selector}. */
    public static byte[] join(int selector, List<byte[]> datagrams) {
        List<Entry> entries = new ArrayList<>(datagrams.size());
        for (byte[] datagram : datagrams) {
            entries.add(new Entry(selector, datagram));
        }
        return join(entries);
    }
}
