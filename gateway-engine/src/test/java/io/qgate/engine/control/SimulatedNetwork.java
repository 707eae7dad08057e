package io.qgate.engine.control;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * An in-memory network for {@link Endpoint}s with a simulated clock and a seeded adversary that
 * drops, delays (so reorders), duplicates, truncates, corrupts and replays datagrams. Every run
 * with the same seed is the same run. Bounded: {@link #runUntil} stops after a simulated time
 * and a step count.
 */
final class SimulatedNetwork {
    /** Fault probabilities, each per datagram. */
    record Faults(double drop, double duplicate, double corrupt, double truncate, double replay, long maxDelayNanos) {
        static final Faults NONE = new Faults(0, 0, 0, 0, 0, 0);

        /** A bad but usable path: about 5% of datagrams lost or damaged, many duplicated, replayed and reordered. */
        static Faults hostile() {
            return new Faults(0.02, 0.03, 0.02, 0.01, 0.03, 30_000_000L);
        }

        /** A path where a 13-datagram handshake rarely gets through whole (about 30% damaged). */
        static Faults severe() {
            return new Faults(0.15, 0.05, 0.10, 0.05, 0.05, 50_000_000L);
        }
    }

    private record InFlight(long deliverAt, long sequence, InetSocketAddress from, InetSocketAddress to, byte[] bytes) {
    }

    /** One endpoint on the network and everything it produced. */
    final class Node implements EndpointOutput {
        final String name;
        InetSocketAddress address;
        final Endpoint endpoint;
        final List<byte[]> delivered = new ArrayList<>();
        final List<PeerEvent> events = new ArrayList<>();
        boolean offline;

        Node(String name, InetSocketAddress address, Endpoint endpoint) {
            this.name = name;
            this.address = address;
            this.endpoint = endpoint;
        }

        @Override
        public void transmit(InetSocketAddress destination, MemorySegment datagram, int length) {
            send(address, destination, datagram.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE));
        }

        @Override
        public void deliver(Peer peer, MemorySegment packet, int offset, int length) {
            delivered.add(packet.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
        }

        @Override
        public void event(PeerEvent event) {
            events.add(event);
        }

        <T extends PeerEvent> List<T> events(Class<T> type) {
            List<T> matching = new ArrayList<>();
            for (PeerEvent event : events) {
                if (type.isInstance(event)) {
                    matching.add(type.cast(event));
                }
            }
            return matching;
        }
    }

    static final long TICK = 100_000_000L;

    private final SplittableRandom random;
    private Faults faults;
    private final PriorityQueue<InFlight> queue = new PriorityQueue<>(
            (a, b) -> a.deliverAt != b.deliverAt ? Long.compare(a.deliverAt, b.deliverAt) : Long.compare(a.sequence, b.sequence));
    private final Map<InetSocketAddress, Node> nodes = new HashMap<>();
    private final List<byte[]> seen = new ArrayList<>();
    private final Map<String, long[]> bytesBetween = new HashMap<>();
    private long sequence;
    private long now = 1_000_000_000L;
    private long nextTick = now;
    long datagramsSent;

    SimulatedNetwork(long seed, Faults faults) {
        this.random = new SplittableRandom(seed);
        this.faults = faults;
    }

    long now() {
        return now;
    }

    void faults(Faults newFaults) {
        this.faults = newFaults;
    }

    Node add(String name, InetSocketAddress address, Endpoint endpoint) {
        Node node = new Node(name, address, endpoint);
        nodes.put(address, node);
        return node;
    }

    /** Moves a node to a new address (roaming). */
    void move(Node node, InetSocketAddress newAddress) {
        nodes.remove(node.address);
        node.address = newAddress;
        nodes.put(newAddress, node);
    }

    /** Bytes sent from {@code from} to {@code to} so far. */
    long bytes(InetSocketAddress from, InetSocketAddress to) {
        long[] count = bytesBetween.get(from + ">" + to);
        return count == null ? 0 : count[0];
    }

    /** Injects a datagram as if an attacker sent it (no faults applied). */
    void inject(InetSocketAddress from, InetSocketAddress to, byte[] bytes) {
        queue.add(new InFlight(now, sequence++, from, to, bytes.clone()));
    }

    /** Every datagram that crossed the network (what an on-path recorder has). */
    List<byte[]> recorded() {
        return seen;
    }

    void send(InetSocketAddress from, InetSocketAddress to, byte[] bytes) {
        datagramsSent++;
        bytesBetween.computeIfAbsent(from + ">" + to, k -> new long[1])[0] += bytes.length;
        seen.add(bytes.clone());
        if (random.nextDouble() < faults.drop()) {
            return;
        }
        enqueue(from, to, bytes);
        if (random.nextDouble() < faults.duplicate()) {
            enqueue(from, to, bytes.clone());
        }
        if (random.nextDouble() < faults.replay() && !seen.isEmpty()) {
            enqueue(from, to, seen.get(random.nextInt(seen.size())).clone());
        }
    }

    private void enqueue(InetSocketAddress from, InetSocketAddress to, byte[] bytes) {
        byte[] copy = bytes;
        if (random.nextDouble() < faults.corrupt() && copy.length > 0) {
            copy = copy.clone();
            copy[random.nextInt(copy.length)] ^= (byte) (1 + random.nextInt(255));
        }
        if (random.nextDouble() < faults.truncate() && copy.length > 1) {
            copy = java.util.Arrays.copyOf(copy, random.nextInt(copy.length));
        }
        long delay = faults.maxDelayNanos() == 0 ? 1_000 : 1_000 + random.nextLong(faults.maxDelayNanos());
        queue.add(new InFlight(now + delay, sequence++, from, to, copy));
    }

    /**
     * Delivers datagrams and ticks every endpoint each {@link #TICK} until {@code done} holds,
     * {@code maxNanos} of simulated time passed or {@code maxSteps} steps ran.
     *
     * @return whether {@code done} held
     */
    boolean runUntil(BooleanSupplier done, long maxNanos, int maxSteps) {
        long end = now + maxNanos;
        for (int step = 0; step < maxSteps; step++) {
            if (done.getAsBoolean()) {
                return true;
            }
            InFlight next = queue.peek();
            if (next != null && next.deliverAt <= nextTick) {
                queue.poll();
                now = Math.max(now, next.deliverAt);
                Node node = nodes.get(next.to);
                if (node != null && !node.offline) {
                    node.endpoint.receive(next.from, MemorySegment.ofArray(next.bytes.clone()), next.bytes.length, now, node);
                }
            } else {
                now = nextTick;
                nextTick += TICK;
                if (now > end) {
                    return done.getAsBoolean();
                }
                for (Node node : List.copyOf(nodes.values())) {
                    if (!node.offline) {
                        node.endpoint.tick(now, node);
                    }
                }
            }
        }
        return done.getAsBoolean();
    }

    /** Runs for {@code nanos} of simulated time. */
    void runFor(long nanos) {
        long end = now + nanos;
        runUntil(() -> now >= end, nanos + TICK, Integer.MAX_VALUE);
    }
}
