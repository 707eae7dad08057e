package io.qgate.engine.telemetry;

import static io.qgate.engine.telemetry.CountersLayout.*;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * The writing side of a gateway's counters file ({@link CountersLayout}): a memory-mapped file
 * that {@code qgate status} and {@code qgate show} read from another process, with no request
 * to the gateway, as Aeron's tools read its CnC file.
 *
 * <p>The file is built under a temporary name and renamed into place, so a reader never sees a
 * half-made header; counters allocated later become visible through Agrona's release store of
 * each record's state. Mode 0640: counters are not secret, but they are the operator's. The file
 * is removed by {@link #close()} (clean shutdown); a file left by a crash is recognised as stale
 * by its process id and heartbeat ({@link GatewaySnapshot#state()}).
 *
 * <p><b>Threads:</b> allocation ({@link #counter}, {@link #peer}) is for the thread that sets the
 * gateway up, before the data plane starts; {@link #heartbeat} and {@link PeerCounters#describe}
 * are for the control thread; {@link LiveCounter}s are for whoever the counter's Javadoc names.
 */
public final class CountersFile implements AutoCloseable {
    /** The file name's suffix after the interface name. */
    public static final String SUFFIX = ".counters";
    /** Counters reserved besides the peers' (the gateway's own and the control plane's drops). */
    static final int GATEWAY_COUNTERS = 64;

    private final Path path;
    private final UnsafeBuffer header;
    private final CountersManager manager;
    private final Map<String, PeerCounters> peers = new LinkedHashMap<>();
    private final MappedByteBuffer mapped; // referenced so the mapping lives as long as this object

    private CountersFile(Path path, MappedByteBuffer mapped, int metadataLength, int valuesLength) {
        this.path = path;
        this.mapped = mapped;
        this.header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        this.manager = new CountersManager(new UnsafeBuffer(mapped, HEADER_LENGTH, metadataLength),
            new UnsafeBuffer(mapped, HEADER_LENGTH + metadataLength, valuesLength), StandardCharsets.UTF_8);
    }

    /** The counters file of {@code interfaceName} in {@code runDirectory}. */
    public static Path path(Path runDirectory, String interfaceName) {
        return runDirectory.resolve(interfaceName + SUFFIX);
    }

    /**
     * Creates (replacing a stale one) and maps the counters file of a gateway with room for
     * {@code peers} peers, twice over (for peers added while it runs).
     *
     * @throws IllegalArgumentException naming the file and the cause when it cannot be made
     */
    public static CountersFile create(Path runDirectory, String interfaceName, InetSocketAddress listen, int peers) {
        int counters = GATEWAY_COUNTERS + 2 * Math.max(1, peers) * (PeerCounter.values().length + 1);
        int valuesLength = counters * CountersReader.COUNTER_LENGTH;
        int metadataLength = counters * CountersReader.METADATA_LENGTH;
        Path path = path(runDirectory, interfaceName);
        Path temporary = runDirectory.resolve("." + interfaceName + SUFFIX + ".tmp");
        try {
            Files.createDirectories(runDirectory);
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r-----"));
            MappedByteBuffer mapped;
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, (long) HEADER_LENGTH + metadataLength + valuesLength);
            }
            CountersFile file = new CountersFile(path, mapped, metadataLength, valuesLength);
            UnsafeBuffer h = file.header;
            h.putInt(VERSION_OFFSET, VERSION);
            h.putLong(PID_OFFSET, ProcessHandle.current().pid());
            long now = System.currentTimeMillis();
            h.putLong(STARTED_OFFSET, now);
            h.putLong(HEARTBEAT_OFFSET, now);
            h.putInt(METADATA_LENGTH_OFFSET, metadataLength);
            h.putInt(VALUES_LENGTH_OFFSET, valuesLength);
            putString(h, INTERFACE_OFFSET, INTERFACE_MAX, interfaceName);
            putString(h, LISTEN_OFFSET, LISTEN_MAX, PeerCounters.format(listen));
            h.putIntRelease(MAGIC_OFFSET, MAGIC);
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException | UnsupportedOperationException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // nothing more to undo
            }
            throw new IllegalArgumentException("cannot create the counters file " + path + " (" + e.getMessage()
                + "): make run-directory in the configuration a writable folder");
        }
    }

    public Path path() {
        return path;
    }

    /** Allocates the gateway-wide counter {@code name} (its Prometheus and JSON name). */
    public LiveCounter counter(String name) {
        int id = manager.allocate(name, TYPE_GATEWAY);
        return new LiveCounter(manager.valuesBuffer(), CountersReader.counterOffset(id));
    }

    /** Allocates the counters of peer {@code name} (slot {@code slot} in the configuration). */
    public PeerCounters peer(int slot, String name) {
        if (peers.containsKey(name)) {
            throw new IllegalArgumentException("peer '" + name + "' already has counters");
        }
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > KEY_NAME_MAX) {
            throw new IllegalArgumentException("peer name '" + name + "' is longer than " + KEY_NAME_MAX + " bytes");
        }
        UnsafeBuffer key = new UnsafeBuffer(new byte[KEY_NAME_OFFSET + nameBytes.length]);
        key.putInt(KEY_SLOT_OFFSET, slot);
        key.putInt(KEY_NAME_LENGTH_OFFSET, nameBytes.length);
        key.putBytes(KEY_NAME_OFFSET, nameBytes);
        int info = allocate(TYPE_PEER_INFO, key, UNKNOWN + " " + UNKNOWN);
        Map<PeerCounter, Integer> ids = new EnumMap<>(PeerCounter.class);
        for (PeerCounter c : PeerCounter.values()) {
            ids.put(c, allocate(TYPE_PEER, key, c.label()));
        }
        PeerCounters counters = new PeerCounters(name, manager, info, ids);
        peers.put(name, counters);
        return counters;
    }

    private int allocate(int type, UnsafeBuffer key, String label) {
        UnsafeBuffer labelBuffer = new UnsafeBuffer(label.getBytes(StandardCharsets.UTF_8));
        return manager.allocate(type, key, 0, key.capacity(), labelBuffer, 0, labelBuffer.capacity());
    }

    /**
     * Frees peer {@code name}'s counters (a peer removed from the running gateway): readers no
     * longer list it, and its ids may serve a peer added later. Nothing if it has none.
     */
    public void release(String name) {
        PeerCounters counters = peers.remove(name);
        if (counters != null) {
            counters.free();
        }
    }

    /** The counters of peer {@code name}, or null. */
    public PeerCounters peer(String name) {
        return peers.get(name);
    }

    /** Control thread: records that the gateway is alive at {@code epochMillis} (a release store). */
    public void heartbeat(long epochMillis) {
        header.putLongRelease(HEARTBEAT_OFFSET, epochMillis);
    }

    /** What the file holds now, read in this process (the metrics endpoint uses it). */
    public GatewaySnapshot snapshot(long nowMillis) {
        return GatewaySnapshot.read(header, manager, nowMillis);
    }

    /** Removes the file; the mapping itself goes with this object (counters stay writable until then). */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a file left behind is recognised as stale by its readers
        }
    }
}
