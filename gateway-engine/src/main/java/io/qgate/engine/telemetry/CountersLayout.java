package io.qgate.engine.telemetry;

import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.status.CountersReader;

/**
 * The layout of a gateway's counters file {@code <run-directory>/<interface>.counters}:
 *
 * <pre>
 *   0            header (HEADER_LENGTH bytes, native byte order: little-endian on x86-64 and arm64)
 *                  0 int  magic 'QGCF' (written last, with release: a reader seeing it sees the rest)
 *                  4 int  layout version
 *                  8 long the gateway's process id
 *                 16 long when it started, ms since the epoch
 *                 24 long heartbeat: last update, ms since the epoch (release store, every tick)
 *                 32 int  metadata length      36 int values length
 *                 40 int  interface name length, then up to 28 UTF-8 bytes
 *                 72 int  listen address length, then up to 60 UTF-8 bytes
 *   HEADER_LENGTH     Agrona counters metadata ({@link CountersReader#METADATA_LENGTH} per counter)
 *   + metadata        Agrona counter values ({@link CountersReader#COUNTER_LENGTH} per counter)
 * </pre>
 *
 * <p>Counters by type id: {@link #TYPE_GATEWAY} (label = the counter's name, no key),
 * {@link #TYPE_PEER} (label = a {@link PeerCounter#label()}, key = peer) and
 * {@link #TYPE_PEER_INFO} (one per peer; label = {@code "<endpoint> <suite>"}, each {@code -}
 * when unknown; value = a sequence number, see {@link PeerCounters}). A peer key is: int slot,
 * int name length, the name's UTF-8 bytes.
 */
final class CountersLayout {
    static final int MAGIC = 0x46434751; // "QGCF" as little-endian bytes
    static final int VERSION = 1;
    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 4;
    static final int PID_OFFSET = 8;
    static final int STARTED_OFFSET = 16;
    static final int HEARTBEAT_OFFSET = 24;
    static final int METADATA_LENGTH_OFFSET = 32;
    static final int VALUES_LENGTH_OFFSET = 36;
    static final int INTERFACE_OFFSET = 40;
    static final int INTERFACE_MAX = 28;
    static final int LISTEN_OFFSET = 72;
    static final int LISTEN_MAX = 60;
    /** A multiple of the 128-byte counter record, so the buffers after it stay aligned. */
    static final int HEADER_LENGTH = 256;

    static final int TYPE_GATEWAY = 1;
    static final int TYPE_PEER = 2;
    static final int TYPE_PEER_INFO = 3;

    static final int KEY_SLOT_OFFSET = 0;
    static final int KEY_NAME_LENGTH_OFFSET = 4;
    static final int KEY_NAME_OFFSET = 8;
    /** Peer names are at most 64 characters (the configuration's rule); the key has room for 104 bytes. */
    static final int KEY_NAME_MAX = CountersReader.MAX_KEY_LENGTH - KEY_NAME_OFFSET;

    /** Label text for an unknown endpoint or suite. */
    static final String UNKNOWN = "-";

    private CountersLayout() {
    }

    static void putString(AtomicBuffer buffer, int offset, int max, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(bytes.length, max);
        buffer.putInt(offset, length);
        buffer.putBytes(offset + 4, bytes, 0, length);
    }

    static String getString(AtomicBuffer buffer, int offset, int max) {
        int length = buffer.getInt(offset);
        if (length < 0 || length > max) {
            return "";
        }
        byte[] bytes = new byte[length];
        buffer.getBytes(offset + 4, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
