package io.qgate.engine.chaos;

import io.qgate.ffm.linux.MessageBatch;
import io.qgate.ffm.linux.Sockaddr;
import io.qgate.ffm.linux.UdpOptions;
import io.qgate.ffm.linux.UdpSocket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A flood generator: {@link FloodDatagrams} sent to one target from many source addresses, in
 * turn, for a bounded time, at full rate or at a given rate. Run as a program inside a test's
 * network namespace:
 * {@code Flood --target IP:PORT --source-base IPV4 --sources N --kind malformed|initiation
 * --seconds S [--rate PER_SECOND] [--seed N]}. It binds one UDP socket to each of the {@code N}
 * addresses from {@code source-base} on (the namespace makes them local, for example with
 * {@code ip route add local 10.99.0.0/16 dev lo}: a spoofing attacker's addresses that still get
 * the answers routed back), and at the end prints one JSON line:
 * {@code {"sent":N,"send_failed":N,"seconds":S,"by_type":{"1":N,...}}}.
 */
public final class Flood {
    /** Datagrams per {@code sendmmsg}, all from one source address (a source's few, then the next's). */
    private static final int BURST = 8;

    private Flood() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        InetSocketAddress target = ChaosRelay.address(o, "target");
        byte[] base = InetAddress.ofLiteral(o.getOrDefault("source-base", "10.99.0.1")).getAddress();
        int sources = Integer.parseInt(o.getOrDefault("sources", "256"));
        boolean malformed = switch (o.getOrDefault("kind", "malformed")) {
            case "malformed" -> true;
            case "initiation" -> false;
            default -> throw new IllegalArgumentException("--kind is malformed or initiation");
        };
        double seconds = Double.parseDouble(o.getOrDefault("seconds", "3"));
        long rate = Long.parseLong(o.getOrDefault("rate", "0"));
        if (base.length != 4 || sources < 1 || sources > 65_536 || seconds <= 0 || seconds > 600 || rate < 0) {
            throw new IllegalArgumentException("--source-base is IPv4, --sources 1 to 65536, --seconds up to 600, --rate 0 (full) or more");
        }
        FloodDatagrams datagrams = new FloodDatagrams(Long.parseLong(o.getOrDefault("seed", "1")));
        UdpSocket[] sockets = new UdpSocket[sources];
        long first = Integer.toUnsignedLong(ByteBuffer.wrap(base).getInt());
        // one sendmmsg of BURST datagrams per source in turn: the generator shares the test machine
        // with the gateways, so it spends as little CPU per datagram as it can
        try (Arena arena = Arena.ofConfined(); MessageBatch batch = new MessageBatch(BURST, 2048)) {
            MemorySegment targetAddress = Sockaddr.of(target, arena);
            ByteBuffer[] buffers = new ByteBuffer[BURST];
            for (int i = 0; i < BURST; i++) {
                batch.address(i, targetAddress);
                buffers[i] = batch.buffer(i).asSlice(batch.bufferOffset(i)).asByteBuffer();
            }
            for (int i = 0; i < sources; i++) {
                InetAddress source = Inet4Address.getByAddress(ByteBuffer.allocate(4).putInt((int) (first + i)).array());
                sockets[i] = UdpSocket.open(new InetSocketAddress(source, 0), UdpOptions.DEFAULTS);
            }
            long[] byType = new long[256];
            long sent = 0;
            long failed = 0;
            int[] types = new int[BURST];
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            for (long n = 0; System.nanoTime() < end; n += BURST) {
                if (rate > 0) {
                    long due = start + n * 1_000_000_000L / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                for (int i = 0; i < BURST; i++) {
                    types[i] = 1;
                    if (malformed) {
                        types[i] = datagrams.malformed(buffers[i]);
                    } else {
                        datagrams.initiation(buffers[i]);
                    }
                    batch.length(i, buffers[i].remaining());
                }
                UdpSocket socket = sockets[(int) ((n / BURST) % sources)];
                int done = socket.send(batch, 0, BURST);
                int went = Math.max(0, done);
                for (int i = 0; i < went; i++) {
                    byType[types[i]]++;
                }
                sent += went;
                failed += BURST - went; // e.g. ENOBUFS under a full queue: counted, never fatal
            }
            double took = (System.nanoTime() - start) / 1e9;
            StringBuilder json = new StringBuilder("{\"sent\":" + sent + ",\"send_failed\":" + failed
                + ",\"seconds\":" + String.format(java.util.Locale.ROOT, "%.3f", took) + ",\"by_type\":{");
            String comma = "";
            for (int t = 0; t < byType.length; t++) {
                if (byType[t] > 0) {
                    json.append(comma).append('"').append(t).append("\":").append(byType[t]);
                    comma = ",";
                }
            }
            System.out.println(json.append("}}"));
        } finally {
            for (UdpSocket c : sockets) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }
}
