package io.qgate.engine.telemetry;

import static io.qgate.engine.telemetry.CountersLayout.*;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

/**
 * What a gateway's counters file held at one moment: the reading side of {@link CountersFile},
 * used by {@code qgate status}, {@code qgate show} and the metrics endpoint. Each value is read
 * whole with acquire semantics; values of different counters may be microseconds apart.
 *
 * @param counters the gateway-wide counters by name, in allocation order
 * @param peers    the peers in configuration order
 */
public record GatewaySnapshot(String interfaceName, String listen, long pid, long startedMillis, long heartbeatMillis,
        State state, Map<String, Long> counters, List<Peer> peers) {

    /** A heartbeat older than this means the gateway no longer updates its counters. */
    public static final long STALE_AFTER_MILLIS = 5_000;

    /** Whether the gateway behind a counters file runs. */
    public enum State {
        /** Its process lives and its heartbeat is recent. */
        RUNNING,
        /** Its process lives, but its heartbeat is older than {@link #STALE_AFTER_MILLIS} (hung?). */
        STALE,
        /** Its process is gone: the file was left by a crash. */
        DEAD;

        /** The lower-case name used in text and JSON. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One peer.
     *
     * @param endpoint "address:port", or null when not known yet
     * @param suite    the suite of the latest handshake, or null
     */
    public record Peer(String name, String endpoint, String suite, Map<PeerCounter, Long> counters) {
        public long get(PeerCounter which) {
            return counters.getOrDefault(which, 0L);
        }
    }

    /** The counters files in {@code runDirectory}, by interface name; empty if there is none. */
    public static List<Path> find(Path runDirectory) {
        if (!Files.isDirectory(runDirectory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(runDirectory)) {
            return files.filter(p -> p.getFileName().toString().endsWith(CountersFile.SUFFIX)
                && !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list " + runDirectory + ": " + e.getMessage());
        }
    }

    /**
     * Maps {@code file} read-only, reads it and unmaps it.
     *
     * @throws IllegalArgumentException with one sentence naming the cause when it is missing,
     *         unreadable or not a counters file
     */
    public static GatewaySnapshot read(Path file, long nowMillis) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            long size = channel.size();
            if (size < HEADER_LENGTH) {
                throw notCounters(file);
            }
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            UnsafeBuffer header = new UnsafeBuffer(mapped.address(), HEADER_LENGTH);
            if (header.getIntVolatile(MAGIC_OFFSET) != MAGIC || header.getInt(VERSION_OFFSET) != VERSION) {
                throw notCounters(file);
            }
            int metadataLength = header.getInt(METADATA_LENGTH_OFFSET);
            int valuesLength = header.getInt(VALUES_LENGTH_OFFSET);
            if (metadataLength <= 0 || valuesLength <= 0 || (long) HEADER_LENGTH + metadataLength + valuesLength > size
                    || valuesLength % CountersReader.COUNTER_LENGTH != 0
                    || metadataLength != valuesLength / CountersReader.COUNTER_LENGTH * CountersReader.METADATA_LENGTH) {
                throw notCounters(file);
            }
            CountersReader reader = new CountersReader(
                new UnsafeBuffer(mapped.address() + HEADER_LENGTH, metadataLength),
                new UnsafeBuffer(mapped.address() + HEADER_LENGTH + metadataLength, valuesLength), StandardCharsets.UTF_8);
            return read(header, reader, nowMillis);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no gateway is running for " + interfaceOf(file) + " (there is no " + file + ")");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("cannot read " + file + ": permission denied; run as root or as a member of the file's group");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static String interfaceOf(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(CountersFile.SUFFIX) ? name.substring(0, name.length() - CountersFile.SUFFIX.length()) : name;
    }

    private static IllegalArgumentException notCounters(Path file) {
        return new IllegalArgumentException(file + " is not a qgate counters file of this version: remove it if no gateway uses it");
    }

    /** Reads a mapped header and its counters (in this process or another). */
    static GatewaySnapshot read(AtomicBuffer header, CountersReader reader, long nowMillis) {
        long pid = header.getLong(PID_OFFSET);
        long heartbeat = header.getLongVolatile(HEARTBEAT_OFFSET);
        Map<String, Long> counters = new LinkedHashMap<>();
        Map<Integer, String> names = new TreeMap<>();
        Map<Integer, String[]> info = new TreeMap<>();
        Map<Integer, Map<PeerCounter, Long>> values = new TreeMap<>();
        reader.forEach((id, type, key, label) -> {
            switch (type) {
                case TYPE_GATEWAY -> counters.put(label, reader.getCounterValue(id));
                case TYPE_PEER, TYPE_PEER_INFO -> {
                    int slot = key.getInt(KEY_SLOT_OFFSET);
                    int length = Math.min(Math.max(key.getInt(KEY_NAME_LENGTH_OFFSET), 0), KEY_NAME_MAX);
                    names.putIfAbsent(slot, key.getStringWithoutLengthUtf8(KEY_NAME_OFFSET, length));
                    if (type == TYPE_PEER_INFO) {
                        String text = PeerCounters.readLabel(reader, id);
                        String[] parts = text == null ? new String[0] : text.split(" ", 2);
                        info.put(slot, parts.length == 2 ? parts : new String[] {UNKNOWN, UNKNOWN});
                    } else {
                        PeerCounter which = PeerCounter.ofLabel(label);
                        if (which != null) {
                            values.computeIfAbsent(slot, s -> new EnumMap<>(PeerCounter.class)).put(which, reader.getCounterValue(id));
                        }
                    }
                }
                default -> {
                    // a type from a newer gateway: skipped
                }
            }
        });
        List<Peer> peers = new ArrayList<>();
        names.forEach((slot, name) -> {
            String[] strings = info.getOrDefault(slot, new String[] {UNKNOWN, UNKNOWN});
            peers.add(new Peer(name, known(strings[0]), known(strings[1]),
                Collections.unmodifiableMap(values.getOrDefault(slot, new EnumMap<>(PeerCounter.class)))));
        });
        boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        State state = !alive ? State.DEAD : nowMillis - heartbeat > STALE_AFTER_MILLIS ? State.STALE : State.RUNNING;
        return new GatewaySnapshot(getString(header, INTERFACE_OFFSET, INTERFACE_MAX), known(getString(header, LISTEN_OFFSET, LISTEN_MAX)),
            pid, header.getLong(STARTED_OFFSET), heartbeat, state, Collections.unmodifiableMap(counters), List.copyOf(peers));
    }

    private static String known(String text) {
        return text.isEmpty() || text.equals(UNKNOWN) ? null : text;
    }
}
