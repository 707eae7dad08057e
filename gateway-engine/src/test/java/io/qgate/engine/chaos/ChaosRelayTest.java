package io.qgate.engine.chaos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The chaos relay on loopback: each fault does what its count says, from a seed, in both directions. */
class ChaosRelayTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int SIZE = 100;

    /** Datagram {@code seq}: the sequence number, then bytes that follow from it. */
    private static byte[] datagram(int seq, int firstByte) {
        byte[] d = new byte[SIZE];
        new java.util.Random(seq).nextBytes(d); // every byte depends on every bit of seq
        d[0] = (byte) firstByte;
        ByteBuffer.wrap(d).putInt(4, seq);
        return d;
    }

    /** Whether {@code d} is exactly a datagram of type {@code 4} or {@code 1} as sent (a changed byte anywhere shows). */
    private static boolean intact(byte[] d) {
        return d.length == SIZE && (d[0] == 4 || d[0] == 1) && Arrays.equals(d, datagram(ByteBuffer.wrap(d).getInt(4), d[0]));
    }

    /** Two loopback "gateways" and a relay between them, run on its own thread. */
    private static final class Rig implements AutoCloseable {
        final DatagramChannel a = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        final DatagramChannel b = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        final ChaosRelay relay;
        final Thread thread;

        Rig(Faults faults, long seed) throws Exception {
            relay = new ChaosRelay(new InetSocketAddress(LOOPBACK, 0), (InetSocketAddress) a.getLocalAddress(),
                new InetSocketAddress(LOOPBACK, 0), (InetSocketAddress) b.getLocalAddress(), faults, seed);
            thread = Thread.ofPlatform().name("relay").start(relay);
        }

        /** Sends {@code count} datagrams from A (towards B) or B, paced so no socket buffer overflows. */
        private void send(String from, int count, int firstByte) throws Exception {
            DatagramChannel ch = from.equals("a") ? a : b;
            InetSocketAddress to = new InetSocketAddress(LOOPBACK, from.equals("a") ? relay.portFacingA() : relay.portFacingB());
            for (int seq = 0; seq < count; seq++) {
                ch.send(ByteBuffer.wrap(datagram(seq, firstByte)), to);
                if (seq % 16 == 15) {
                    TimeUnit.MILLISECONDS.sleep(1);
                }
            }
        }

        /**
         * Sends {@code count} datagrams from {@code from} while the other side collects, and returns
         * what reached the other side (read concurrently, so its socket buffer never overflows).
         */
        List<byte[]> exchange(String from, int count, int firstByte) throws Exception {
            try (var reader = java.util.concurrent.Executors.newSingleThreadExecutor()) {
                var received = reader.submit(() -> drain(from.equals("a") ? "b" : "a"));
                send(from, count, firstByte);
                return received.get(20, TimeUnit.SECONDS);
            }
        }

        /**
         * Everything that reaches {@code side} until it has been quiet for 300 ms after the first
         * datagram (which may take up to 5 s on a loaded machine), at most 10 s in all.
         */
        private List<byte[]> drain(String side) throws Exception {
            var socket = (side.equals("a") ? a : b).socket();
            List<byte[]> got = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            byte[] buffer = new byte[2048];
            while (System.nanoTime() < deadline) {
                var packet = new java.net.DatagramPacket(buffer, buffer.length);
                socket.setSoTimeout(got.isEmpty() ? 5_000 : 300);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException quiet) {
                    break;
                }
                got.add(Arrays.copyOf(buffer, packet.getLength()));
            }
            return got;
        }

        @Override
        public void close() throws Exception {
            relay.close();
            thread.join(5_000);
            a.close();
            b.close();
        }
    }

    @Test
    void withoutFaultsEveryDatagramArrivesOnceInOrderBothWays() throws Exception {
        try (Rig rig = new Rig(Faults.NONE, 1)) {
            List<byte[]> atB = rig.exchange("a", 300, 4);
            List<byte[]> atA = rig.exchange("b", 300, 4);
            for (List<byte[]> got : List.of(atB, atA)) {
                assertEquals(300, got.size());
                for (int seq = 0; seq < 300; seq++) {
                    assertArrayEquals(datagram(seq, 4), got.get(seq), "datagram " + seq);
                }
            }
            assertEquals(300L, rig.relay.counts("b").get("forwarded"));
            assertEquals(300L, rig.relay.counts("a").get("received"));
        }
    }

    @Test
    void everyFaultHappensAsOftenAsItsRateAndAsItsCountSays() throws Exception {
        Faults faults = new Faults(0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, Duration.ofMillis(3), 64, -1);
        int sent = 3000;
        try (Rig rig = new Rig(faults, 42)) {
            List<byte[]> got = rig.exchange("a", sent, 4);
            Map<String, Long> c = rig.relay.counts("b");
            long intactCopies = got.stream().filter(ChaosRelayTest::intact).count();
            Set<Integer> intactSeqs = new HashSet<>();
            int outOfOrder = 0;
            int highest = -1;
            for (byte[] d : got) {
                if (intact(d)) {
                    int seq = ByteBuffer.wrap(d).getInt(4);
                    outOfOrder += intactSeqs.add(seq) && seq < highest ? 1 : 0;
                    highest = Math.max(highest, seq);
                }
            }
            long truncated = got.stream().filter(d -> d.length < SIZE).count();
            long corrupted = got.stream().filter(d -> d.length == SIZE && !intact(d)).count();
            assertEquals(sent, c.get("received"));
            assertEquals(0L, c.get("send_failed"));
            assertEquals(c.get("forwarded"), (long) intactSeqs.size(), "forwarded: each intact datagram once " + c);
            assertEquals(c.get("forwarded") + c.get("duplicated") + c.get("replayed"), intactCopies, "copies: " + c);
            assertEquals(c.get("truncated"), truncated, c.toString());
            assertEquals(c.get("corrupted"), corrupted, c.toString());
            assertEquals(sent, c.get("forwarded") + c.get("dropped") + c.get("truncated") + c.get("corrupted"), c.toString());
            assertEquals(c.get("forwarded") + c.get("duplicated") + c.get("replayed") + truncated + corrupted, got.size());
            assertTrue(outOfOrder > 0, "reordered and delayed datagrams arrive after later ones");
            // each rate is 10% of 3,000: 300, with a standard deviation of about 16
            for (String fault : List.of("dropped", "reordered", "duplicated", "truncated", "corrupted", "replayed")) {
                assertTrue(c.get(fault) > 200 && c.get(fault) < 400, () -> fault + " " + c);
            }
            assertTrue(c.get("delayed") + c.get("delay_queue_full") > 200, c.toString());
            // the other direction saw nothing
            assertEquals(0L, rig.relay.counts("a").get("received"));
        }
    }

    @Test
    void theSameSeedGivesTheSameFaultsAndAnotherSeedOthers() throws Exception {
        Faults faults = new Faults(0.05, 0.05, 0, 0.05, 0.05, 0.05, 0.05, Duration.ZERO, 0, -1);
        List<Map<String, Long>> runs = new ArrayList<>();
        for (long seed : new long[] {7, 7, 8}) {
            try (Rig rig = new Rig(faults, seed)) {
                rig.exchange("b", 1000, 4);
                runs.add(rig.relay.counts("a"));
            }
        }
        assertEquals(runs.get(0), runs.get(1));
        assertNotEquals(runs.get(0), runs.get(2));
    }

    @Test
    void onlyDatagramsOfTheChosenTypeAreFaulted() throws Exception {
        Faults dropAll = new Faults(1, 0, 0, 0, 0, 0, 1, Duration.ZERO, 0, 4);
        try (Rig rig = new Rig(dropAll, 3)) {
            rig.send("a", 50, 4); // data: every one dropped; no replay, as no data datagram ever went through
            List<byte[]> got = rig.exchange("a", 50, 1); // a handshake type: untouched, and never replayed
            assertEquals(50, got.size());
            assertTrue(got.stream().allMatch(d -> d[0] == 1 && intact(d)), "only the type-1 datagrams arrive, unchanged");
            assertEquals(50L, rig.relay.counts("b").get("dropped"));
            assertEquals(0L, rig.relay.counts("b").get("replayed"), "replays repeat only datagrams of the faulted type");
            assertEquals(50L, rig.relay.counts("b").get("passed"));
        }
    }

    @Test
    void ratesThatAreNotProbabilitiesAreRefusedWithTheReason() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Faults(1.5, 0, 0, 0, 0, 0, 0, Duration.ZERO, 0, -1));
        assertTrue(e.getMessage().contains("probability from 0 to 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Faults(0.6, 0.6, 0, 0, 0, 0, 0, Duration.ZERO, 0, -1));
        assertTrue(e.getMessage().contains("add up to at most 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Faults(0, 0, 0, 0, 0, 0, 0, Duration.ofSeconds(11), 0, -1));
        assertTrue(e.getMessage().contains("delay must be from 0 to 10 s"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Faults(0, 0, 0, 0, 0, 0, 0, Duration.ZERO, -1, -1));
        assertTrue(e.getMessage().contains("delay queue"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Faults(0, 0, 0, 0, 0, 0, 0, Duration.ZERO, 0, 256));
        assertTrue(e.getMessage().contains("faulted message type"), e.getMessage());
    }

    @Test
    void addressesAreIpLiteralsWithAPort() {
        assertEquals(new InetSocketAddress(InetAddress.ofLiteral("fd42::1"), 51820),
            ChaosRelay.address(new java.util.HashMap<>(Map.of("x", "[fd42::1]:51820")), "x"));
        var e = assertThrows(IllegalArgumentException.class, () -> ChaosRelay.address(new java.util.HashMap<>(Map.of("x", "10.0.0.1")), "x"));
        assertTrue(e.getMessage().contains("must be IP:PORT"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ChaosRelay.address(new java.util.HashMap<>(), "x"));
        assertTrue(e.getMessage().contains("--x IP:PORT is required"), e.getMessage());
    }
}
