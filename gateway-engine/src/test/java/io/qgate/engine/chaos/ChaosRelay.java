package io.qgate.engine.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A UDP relay between two gateways that drops, reorders, delays, duplicates, truncates, corrupts
 * and replays datagrams at the rates of its {@link Faults}: this kernel has no {@code tc netem},
 * so the reliability tests bring their own faults. Gateway A's peer endpoint is the relay's
 * address facing A, gateway B's the one facing B; what arrives on one side leaves from the other,
 * so each gateway sees its peer at one fixed address.
 *
 * <p>Every decision comes from a {@link SplittableRandom} per direction seeded from the seed, so
 * the same datagrams in the same order get the same faults. What happened is counted per
 * direction and given as one JSON line by {@link #countsJson()}:
 * {@code {"seed":1,"to_a":{"received":..,"passed":..,"forwarded":..,"dropped":..,...},"to_b":{...}}}.
 * The datagrams a correct receiver must reject are {@code duplicated + truncated + corrupted +
 * replayed} (the second copy of a duplicate, every altered datagram, every replay); the
 * {@code forwarded} ones are intact, sent once, possibly late; the {@code passed} ones were not
 * eligible for faults ({@link Faults#onlyType()}) and went on unchanged.
 *
 * <p>Run as a program (in a network namespace, by the tests' {@code ChaosLab}):
 * {@code ChaosRelay --facing-a IP:PORT --gateway-a IP:PORT --facing-b IP:PORT --gateway-b IP:PORT
 * [--seed N] [--drop P] [--reorder P] [--delay-rate P] [--duplicate P] [--truncate P] [--corrupt P]
 * [--replay P] [--delay-ms N] [--delay-queue N] [--only-type T]}. It prints {@code ready} once
 * bound, answers each {@code counts} line on standard input with the JSON line, and on
 * {@code stop} or the end of its input stops and prints the JSON line a last time.
 *
 * <p><b>Threads:</b> {@link #run()} is the only thread that moves datagrams; {@link #countsJson()}
 * may be called from any thread (the counts are atomic, and a reader may see one direction's
 * counts a datagram ahead of the other's); {@link #close()} from any thread makes {@link #run()}
 * return, which then closes the sockets.
 */
public final class ChaosRelay implements Runnable, AutoCloseable {
    /** How many recently sent intact datagrams per direction a replay picks from. */
    public static final int HISTORY = 256;
    private static final int MAX_DATAGRAM = 65_535;
    /** A datagram held for reordering goes out after this long if no later one comes. */
    private static final long REORDER_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** Receives per direction per wake-up, so one busy direction cannot starve the other. */
    private static final int RECEIVE_BATCH = 64;
    /** A full send buffer is retried for about this long before the datagram counts as send_failed. */
    private static final long SEND_PATIENCE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final int SOCKET_BUFFER = 8 << 20;

    /** What each direction counts, named in the JSON by the lower-case name. */
    private enum Count {
        RECEIVED, PASSED, FORWARDED, DROPPED, REORDERED, DELAYED, DELAY_QUEUE_FULL, DUPLICATED, TRUNCATED, CORRUPTED, REPLAYED,
        SEND_FAILED;

        final String label = name().toLowerCase(Locale.ROOT);
    }

    private final long seed;
    private final Faults faults;
    private final Selector selector;
    private final DatagramChannel facingA;
    private final DatagramChannel facingB;
    private final Direction toA;
    private final Direction toB;
    private volatile boolean running = true;

    /**
     * Binds the two sockets.
     *
     * @param facingA the address gateway A sends to (its peer endpoint)
     * @param gatewayA where gateway A listens
     * @param facingB the address gateway B sends to
     * @param gatewayB where gateway B listens
     */
    public ChaosRelay(InetSocketAddress facingA, InetSocketAddress gatewayA, InetSocketAddress facingB,
            InetSocketAddress gatewayB, Faults faults, long seed) throws IOException {
        this.seed = seed;
        this.faults = faults;
        selector = Selector.open();
        try {
            this.facingA = bind(facingA);
            this.facingB = bind(facingB);
            toB = new Direction(this.facingA, this.facingB, gatewayB, new SplittableRandom(seed).split());
            toA = new Direction(this.facingB, this.facingA, gatewayA, new SplittableRandom(~seed).split());
            this.facingA.register(selector, SelectionKey.OP_READ, toB);
            this.facingB.register(selector, SelectionKey.OP_READ, toA);
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    private DatagramChannel bind(InetSocketAddress address) throws IOException {
        DatagramChannel channel = DatagramChannel.open(address.getAddress() instanceof java.net.Inet6Address
            ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
            channel.bind(address);
            channel.configureBlocking(false);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw new IOException("cannot bind the chaos relay to " + address + ": " + e.getMessage(), e);
        }
    }

    /** The port the socket facing A is bound to (useful when it was bound to port 0). */
    public int portFacingA() throws IOException {
        return ((InetSocketAddress) facingA.getLocalAddress()).getPort();
    }

    /** The port the socket facing B is bound to. */
    public int portFacingB() throws IOException {
        return ((InetSocketAddress) facingB.getLocalAddress()).getPort();
    }

    /** Moves datagrams until {@link #close()}; then closes the sockets. */
    @Override
    public void run() {
        try {
            while (running) {
                long now = System.nanoTime();
                long wait = Math.min(toA.releaseDue(now), toB.releaseDue(now));
                long millis = wait == Long.MAX_VALUE ? 100 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait + 999_999));
                selector.select(millis);
                for (SelectionKey key : selector.selectedKeys()) {
                    ((Direction) key.attachment()).receive();
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            System.err.println("chaos relay: " + e);
        } finally {
            closeQuietly();
        }
    }

    /** The counts so far, as one JSON line (see the class comment). */
    public String countsJson() {
        return "{\"seed\":" + seed + ",\"to_a\":" + toA.json() + ",\"to_b\":" + toB.json() + "}";
    }

    /** The counts of the direction towards gateway A ({@code "a"}) or B ({@code "b"}), by JSON name. */
    public Map<String, Long> counts(String towards) {
        return (towards.equals("a") ? toA : toB).counts();
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
    }

    private void closeQuietly() {
        for (AutoCloseable c : new AutoCloseable[] {facingA, facingB, selector}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing a socket we own cannot fail in a way worth reporting
            }
        }
    }

    /** A datagram waiting to be sent, and when. */
    private record Held(ByteBuffer datagram, long dueNanos) {
    }

    /** One direction: datagrams received on {@code in} leave on {@code out} towards {@code to}. Relay thread only. */
    private final class Direction {
        private final DatagramChannel in;
        private final DatagramChannel out;
        private final InetSocketAddress to;
        private final SplittableRandom random;
        private final AtomicLongArray counts = new AtomicLongArray(Count.values().length);
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
        private final ArrayDeque<Held> delayed = new ArrayDeque<>();
        private final byte[][] history = new byte[HISTORY][];
        private int historySize;
        private int historyNext;
        private Held reordered;

        Direction(DatagramChannel in, DatagramChannel out, InetSocketAddress to, SplittableRandom random) {
            this.in = in;
            this.out = out;
            this.to = to;
            this.random = random;
        }

        void receive() throws IOException {
            for (int n = 0; n < RECEIVE_BATCH; n++) {
                buffer.clear();
                if (in.receive(buffer) == null) {
                    return;
                }
                buffer.flip();
                relay(buffer, System.nanoTime());
            }
        }

        private void relay(ByteBuffer datagram, long now) {
            count(Count.RECEIVED);
            int length = datagram.remaining();
            boolean eligible = faults.onlyType() < 0 || (length > 0 && (datagram.get(0) & 0xFF) == faults.onlyType());
            if (!eligible) {
                if (send(datagram)) {
                    count(Count.PASSED);
                }
                return;
            }
            Fault fault = faults.choose(random);
            switch (fault) {
                case FORWARD -> forward(datagram);
                case DROP -> count(Count.DROPPED);
                case REORDER -> {
                    if (reordered == null) {
                        reordered = new Held(copy(datagram), now + REORDER_TIMEOUT_NANOS);
                        count(Count.REORDERED);
                    } else {
                        forward(datagram); // one held at a time: this one overtakes it
                    }
                }
                case DELAY -> {
                    if (delayed.size() < faults.delayQueue()) {
                        delayed.addLast(new Held(copy(datagram), now + faults.delay().toNanos()));
                        count(Count.DELAYED);
                    } else {
                        count(Count.DELAY_QUEUE_FULL);
                        forward(datagram);
                    }
                }
                case DUPLICATE -> {
                    forward(datagram);
                    datagram.position(0);
                    if (send(datagram)) {
                        count(Count.DUPLICATED);
                    }
                }
                case TRUNCATE -> {
                    datagram.limit(length <= 1 ? 0 : random.nextInt(1, length));
                    if (send(datagram)) {
                        count(Count.TRUNCATED);
                    }
                }
                case CORRUPT -> {
                    if (length == 0) {
                        forward(datagram); // nothing to change
                    } else {
                        int at = random.nextInt(length);
                        datagram.put(at, (byte) (datagram.get(at) ^ random.nextInt(1, 256)));
                        if (send(datagram)) {
                            count(Count.CORRUPTED);
                        }
                    }
                }
            }
            if (faults.replay() > 0 && random.nextDouble() < faults.replay() && historySize > 0) {
                byte[] old = history[random.nextInt(historySize)];
                if (send(ByteBuffer.wrap(old))) {
                    count(Count.REPLAYED);
                }
            }
        }

        /** Sends an intact datagram, remembers it for replays, and lets a held (reordered) one follow it. */
        private void forward(ByteBuffer datagram) {
            sendIntact(datagram);
            if (reordered != null) {
                Held late = reordered;
                reordered = null;
                sendIntact(late.datagram());
            }
        }

        private void sendIntact(ByteBuffer datagram) {
            int start = datagram.position();
            if (send(datagram)) {
                count(Count.FORWARDED);
                datagram.position(start);
                byte[] copy = new byte[datagram.remaining()];
                datagram.get(copy);
                history[historyNext] = copy;
                historyNext = (historyNext + 1) % HISTORY;
                historySize = Math.min(historySize + 1, HISTORY);
            }
        }

        /** Sends what is due; returns the nanoseconds until the next held datagram is due, or {@code Long.MAX_VALUE}. */
        long releaseDue(long now) {
            while (!delayed.isEmpty() && delayed.peekFirst().dueNanos() - now <= 0) {
                sendIntact(delayed.pollFirst().datagram());
            }
            if (reordered != null && reordered.dueNanos() - now <= 0) {
                Held late = reordered;
                reordered = null;
                sendIntact(late.datagram());
            }
            long next = Long.MAX_VALUE;
            if (!delayed.isEmpty()) {
                next = delayed.peekFirst().dueNanos() - now;
            }
            if (reordered != null) {
                next = Math.min(next, reordered.dueNanos() - now);
            }
            return next;
        }

        /** Sends {@code datagram}'s remaining bytes; a full send buffer is waited out for a while. */
        private boolean send(ByteBuffer datagram) {
            int length = datagram.remaining();
            long deadline = System.nanoTime() + SEND_PATIENCE_NANOS;
            try {
                do {
                    if (out.send(datagram, to) > 0 || length == 0) {
                        return true;
                    }
                    LockSupport.parkNanos(20_000);
                } while (System.nanoTime() - deadline < 0);
            } catch (IOException e) {
                // e.g. the gateway's namespace is gone: counted, the relay carries on
            }
            count(Count.SEND_FAILED);
            return false;
        }

        private void count(Count c) {
            counts.incrementAndGet(c.ordinal());
        }

        Map<String, Long> counts() {
            Map<String, Long> m = new LinkedHashMap<>();
            for (Count c : Count.values()) {
                m.put(c.label, counts.get(c.ordinal()));
            }
            return m;
        }

        String json() {
            StringBuilder s = new StringBuilder("{");
            counts().forEach((k, v) -> s.append(s.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
            return s.append('}').toString();
        }
    }

    private static ByteBuffer copy(ByteBuffer datagram) {
        ByteBuffer copy = ByteBuffer.allocate(datagram.remaining());
        copy.put(datagram.duplicate()).flip();
        return copy;
    }

    /** The program: see the class comment. Exits 2 with one line on a bad argument. */
    public static void main(String[] args) throws Exception {
        ChaosRelay relay;
        try {
            Map<String, String> o = options(args);
            Faults faults = new Faults(rate(o, "drop"), rate(o, "reorder"), rate(o, "delay-rate"), rate(o, "duplicate"),
                rate(o, "truncate"), rate(o, "corrupt"), rate(o, "replay"),
                Duration.ofMillis(Long.parseLong(take(o, "delay-ms", "2"))),
                Integer.parseInt(take(o, "delay-queue", "1024")), Integer.parseInt(take(o, "only-type", "-1")));
            long seed = Long.parseLong(take(o, "seed", "1"));
            InetSocketAddress facingA = address(o, "facing-a");
            InetSocketAddress gatewayA = address(o, "gateway-a");
            InetSocketAddress facingB = address(o, "facing-b");
            InetSocketAddress gatewayB = address(o, "gateway-b");
            if (!o.isEmpty()) {
                throw new IllegalArgumentException("unknown option --" + o.keySet().iterator().next());
            }
            relay = new ChaosRelay(facingA, gatewayA, facingB, gatewayB, faults, seed);
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("chaos relay: " + e.getMessage());
            System.exit(2);
            return;
        }
        Thread thread = new Thread(relay, "chaos-relay");
        thread.start();
        System.out.println("ready");
        System.out.flush();
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = input.readLine()) != null && !line.strip().equals("stop"); ) {
            if (line.strip().equals("counts")) {
                System.out.println(relay.countsJson());
                System.out.flush();
            }
        }
        relay.close();
        thread.join(5_000);
        System.out.println(relay.countsJson());
        System.out.flush();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("arguments are --name value pairs; '" + args[i] + "' is not one");
            }
            o.put(args[i].substring(2), args[i + 1]);
        }
        return o;
    }

    private static double rate(Map<String, String> o, String name) {
        return Double.parseDouble(take(o, name, "0"));
    }

    private static String take(Map<String, String> o, String name, String otherwise) {
        String v = o.remove(name);
        return v == null ? otherwise : v;
    }

    /** {@code IP:PORT} or {@code [IPV6]:PORT}, an IP literal (never a host name to look up). */
    static InetSocketAddress address(Map<String, String> o, String name) {
        String v = o.remove(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " IP:PORT is required");
        }
        int colon = v.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--" + name + " must be IP:PORT, not " + v);
        }
        String host = v.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(InetAddress.ofLiteral(host), Integer.parseInt(v.substring(colon + 1)));
    }
}
