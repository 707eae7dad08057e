package io.qgate.engine.telemetry;

import io.qgate.engine.control.PeerTraffic;
import io.qgate.engine.protocol.Suite;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * One peer's counters in the counters file: the {@link PeerCounter}s and an info counter whose
 * label holds the strings (endpoint and suite).
 *
 * <p><b>The label contract</b> (a sequence lock; the control thread is the single writer):
 * <ol>
 *   <li>The info counter's value is a sequence number, even when the label is stable.</li>
 *   <li>The writer makes it odd (volatile store, then a store-store fence), rewrites the label,
 *       then makes it even again with a release store.</li>
 *   <li>A reader reads the sequence (acquire), the label, an acquire fence, and the sequence
 *       again; the label is consistent only if both reads are equal and even. Otherwise it
 *       retries (bounded: a writer changes the label only when the endpoint moves or a new
 *       suite is in use, which is rare).</li>
 * </ol>
 * So a label change is visible to every reader at its next read, never torn.
 */
public final class PeerCounters {
    private final String name;
    private final CountersManager manager;
    private final int infoId;
    private final Map<PeerCounter, Integer> ids;
    private final AtomicBuffer values;
    private final Map<PeerCounter, LiveCounter> counters = new EnumMap<>(PeerCounter.class);
    private final PeerTraffic traffic;
    private InetSocketAddress endpoint;
    private Suite suite;

    PeerCounters(String name, CountersManager manager, int infoId, Map<PeerCounter, Integer> ids) {
        this.name = name;
        this.manager = manager;
        this.infoId = infoId;
        this.values = manager.valuesBuffer();
        this.ids = Map.copyOf(ids);
        ids.forEach((c, id) -> counters.put(c, new LiveCounter(values, CountersReader.counterOffset(id))));
        this.traffic = new PeerTraffic(counters::get);
    }

    public String name() {
        return name;
    }

    /** Frees these counters in the file (their ids may then serve a later peer); control thread. */
    void free() {
        for (PeerCounter c : PeerCounter.values()) {
            manager.free(idOf(c));
        }
        manager.free(infoId);
    }

    private int idOf(PeerCounter c) {
        return ids.get(c);
    }

    public LiveCounter counter(PeerCounter which) {
        return counters.get(which);
    }

    /** The data plane's view, backed by these counters. */
    public PeerTraffic traffic() {
        return traffic;
    }

    /**
     * Control thread: publishes the peer's endpoint and suite ({@code null} for unknown) if they
     * changed, under the label contract above. Called every tick: it allocates only on a change.
     */
    public void describe(InetSocketAddress endpointNow, Suite suiteNow) {
        if (java.util.Objects.equals(endpointNow, endpoint) && suiteNow == suite) {
            return;
        }
        endpoint = endpointNow;
        suite = suiteNow;
        String label = format(endpointNow) + " " + (suiteNow == null ? CountersLayout.UNKNOWN : suiteNow.suiteName());
        int offset = CountersReader.counterOffset(infoId);
        long sequence = values.getLong(offset);
        values.putLongVolatile(offset, sequence + 1);
        VarHandle.storeStoreFence();
        manager.setCounterLabel(infoId, label);
        values.putLongRelease(offset, sequence + 2);
    }

    /** {@code address:port}, IPv6 in brackets; {@code -} for null. */
    public static String format(InetSocketAddress address) {
        if (address == null) {
            return CountersLayout.UNKNOWN;
        }
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /**
     * Reads the info label of counter {@code id} under the label contract; null if it kept
     * changing for 100 ms. Bounded by time, not attempts: a writer descheduled in the middle of a
     * change (a busy machine) keeps the sequence odd for a whole time slice, which a fixed number
     * of spins can outlast.
     */
    static String readLabel(CountersReader reader, int id) {
        AtomicBuffer buffer = reader.valuesBuffer();
        int offset = CountersReader.counterOffset(id);
        long deadline = System.nanoTime() + 100_000_000L;
        for (int attempt = 0; attempt < 1_000 || System.nanoTime() - deadline < 0; attempt++) {
            long before = buffer.getLongVolatile(offset);
            String label = reader.getCounterLabel(id);
            VarHandle.acquireFence();
            long after = buffer.getLongVolatile(offset);
            if (before == after && (before & 1) == 0) {
                return label;
            }
            if (attempt < 100) {
                Thread.onSpinWait();
            } else {
                Thread.yield(); // let a preempted writer finish its change
            }
        }
        return null;
    }
}
