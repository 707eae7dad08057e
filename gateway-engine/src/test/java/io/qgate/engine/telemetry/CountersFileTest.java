package io.qgate.engine.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.engine.control.PeerTraffic;
import io.qgate.engine.protocol.Suite;
import io.qgate.engine.session.Keypair;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The counters file: written in this process, read back through a fresh read-only mapping as another process would. */
class CountersFileTest {
    private static final InetSocketAddress LISTEN = new InetSocketAddress("192.0.2.1", 51820);

    @TempDir
    Path run;

    @Test
    void readerOfAFreshMappingSeesGatewayAndPeerCountersByName() {
        try (CountersFile file = CountersFile.create(run, "qg0", LISTEN, 2)) {
            LiveCounter read = file.counter("tun_packets_read");
            file.counter("dropped_no_route").addAndGet(3);
            read.addAndGet(64);
            read.incrementAndGet();
            PeerTraffic b = file.peer(0, "gw-b").traffic();
            file.peer(1, "gw-c");
            b.received(System.nanoTime(), 5, 700, true);
            b.sent(System.nanoTime(), 2, 300);
            b.rejected(Keypair.REPLAYED);
            b.rejected(Keypair.AUTH_FAILED);
            b.rejected(Keypair.AUTH_FAILED);

            GatewaySnapshot s = GatewaySnapshot.read(file.path(), System.currentTimeMillis());
            assertEquals("qg0", s.interfaceName());
            assertEquals("192.0.2.1:51820", s.listen());
            assertEquals(ProcessHandle.current().pid(), s.pid());
            assertEquals(GatewaySnapshot.State.RUNNING, s.state());
            assertEquals(List.of("tun_packets_read", "dropped_no_route"), List.copyOf(s.counters().keySet()));
            assertEquals(65L, s.counters().get("tun_packets_read"));
            assertEquals(3L, s.counters().get("dropped_no_route"));
            assertEquals(List.of("gw-b", "gw-c"), s.peers().stream().map(GatewaySnapshot.Peer::name).toList());
            GatewaySnapshot.Peer peer = s.peers().get(0);
            assertEquals(5, peer.get(PeerCounter.RX_PACKETS));
            assertEquals(700, peer.get(PeerCounter.RX_BYTES));
            assertEquals(2, peer.get(PeerCounter.TX_PACKETS));
            assertEquals(300, peer.get(PeerCounter.TX_BYTES));
            assertEquals(1, peer.get(PeerCounter.REPLAY_REJECTS));
            assertEquals(2, peer.get(PeerCounter.DROPPED_REJECTED));
            assertNull(peer.endpoint(), "no endpoint known yet");
            assertNull(peer.suite());
            assertEquals(0, s.peers().get(1).get(PeerCounter.RX_BYTES));
        }
    }

    @Test
    void aReleasedPeerIsNoLongerListedAndItsNameCanComeBack() {
        try (CountersFile file = CountersFile.create(run, "qg0", LISTEN, 1)) {
            file.peer(0, "gw-b").counter(PeerCounter.RX_BYTES).addAndGet(500);
            file.peer(1, "gw-c");
            file.release("gw-b");
            file.release("gw-b"); // twice: nothing
            assertEquals(List.of("gw-c"), GatewaySnapshot.read(file.path(), System.currentTimeMillis()).peers().stream()
                .map(GatewaySnapshot.Peer::name).toList());
            PeerCounters again = file.peer(2, "gw-b");
            assertEquals(0, again.counter(PeerCounter.RX_BYTES).get(), "a re-added peer starts from zero");
            assertEquals(2, GatewaySnapshot.read(file.path(), System.currentTimeMillis()).peers().size());
        }
    }

    @Test
    void endpointAndSuiteChangesAreVisibleToTheNextRead() {
        try (CountersFile file = CountersFile.create(run, "qg0", LISTEN, 1)) {
            PeerCounters peer = file.peer(0, "gw-b");
            peer.describe(new InetSocketAddress("198.51.100.7", 40000), Suite.DEFAULT);
            GatewaySnapshot.Peer first = GatewaySnapshot.read(file.path(), System.currentTimeMillis()).peers().get(0);
            assertEquals("198.51.100.7:40000", first.endpoint());
            assertEquals(Suite.DEFAULT.suiteName(), first.suite());

            peer.describe(new InetSocketAddress("2001:db8::9", 51820), Suite.XWING_MLDSA65_AES256GCM);
            GatewaySnapshot.Peer moved = GatewaySnapshot.read(file.path(), System.currentTimeMillis()).peers().get(0);
            assertEquals("[2001:db8:0:0:0:0:0:9]:51820", moved.endpoint());
            assertEquals(Suite.XWING_MLDSA65_AES256GCM.suiteName(), moved.suite());
        }
    }

    @Test
    void labelReadsUnderConcurrentChangesAreNeverTorn() throws Exception {
        try (CountersFile file = CountersFile.create(run, "qg0", LISTEN, 1)) {
            PeerCounters peer = file.peer(0, "gw-b");
            InetSocketAddress a = new InetSocketAddress("198.51.100.7", 40000);
            InetSocketAddress b = new InetSocketAddress("2001:db8::1234:5678", 51821);
            peer.describe(a, Suite.DEFAULT);
            Thread writer = new Thread(() -> {
                long end = System.nanoTime() + 300_000_000L;
                for (int i = 0; System.nanoTime() < end && i < 200_000; i++) {
                    peer.describe((i & 1) == 0 ? b : a, (i & 1) == 0 ? Suite.XWING_MLDSA65_AES256GCM : Suite.DEFAULT);
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000); // changes are rare; a reader retries meanwhile
                }
            });
            writer.start();
            int reads = 0;
            while (writer.isAlive() && reads < 2_000) {
                GatewaySnapshot.Peer p = file.snapshot(System.currentTimeMillis()).peers().get(0);
                boolean first = "198.51.100.7:40000".equals(p.endpoint()) && Suite.DEFAULT.suiteName().equals(p.suite());
                boolean second = "[2001:db8:0:0:0:0:1234:5678]:51821".equals(p.endpoint())
                    && Suite.XWING_MLDSA65_AES256GCM.suiteName().equals(p.suite());
                assertTrue(first || second, "a consistent pair, not " + p.endpoint() + " " + p.suite());
                reads++;
            }
            writer.join(5_000);
            assertTrue(reads > 0);
        }
    }

    @Test
    void fileIsMode0640AndRemovedOnClose() throws Exception {
        CountersFile file = CountersFile.create(run, "qg0", LISTEN, 1);
        Path path = file.path();
        assertEquals(run.resolve("qg0.counters"), path);
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
        assertEquals(List.of(path), GatewaySnapshot.find(run), "no temporary file is left next to it");
        file.close();
        assertFalse(Files.exists(path));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> GatewaySnapshot.read(path, System.currentTimeMillis()));
        assertEquals("no gateway is running for qg0 (there is no " + path + ")", e.getMessage());
    }

    @Test
    void oldHeartbeatReadsAsStaleAndAGoneProcessAsDead() throws Exception {
        try (CountersFile file = CountersFile.create(run, "qg0", LISTEN, 1)) {
            long now = System.currentTimeMillis();
            file.heartbeat(now - GatewaySnapshot.STALE_AFTER_MILLIS - 1_000);
            assertEquals(GatewaySnapshot.State.STALE, GatewaySnapshot.read(file.path(), now).state());
            file.heartbeat(now);
            Process gone = new ProcessBuilder("true").start();
            gone.waitFor();
            try (RandomAccessFile raw = new RandomAccessFile(file.path().toFile(), "rw")) {
                raw.seek(CountersLayout.PID_OFFSET);
                raw.writeLong(Long.reverseBytes(gone.pid())); // the header is in native (little-endian) order
            }
            assertEquals(GatewaySnapshot.State.DEAD, GatewaySnapshot.read(file.path(), now).state());
        }
    }

    @Test
    void aFileThatIsNotACountersFileIsRefusedWithTheFix() throws Exception {
        Path bogus = run.resolve("qg1.counters");
        Files.write(bogus, new byte[4096]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> GatewaySnapshot.read(bogus, System.currentTimeMillis()));
        assertEquals(bogus + " is not a qgate counters file of this version: remove it if no gateway uses it", e.getMessage());
        Files.write(bogus, new byte[10]);
        assertThrows(IllegalArgumentException.class, () -> GatewaySnapshot.read(bogus, System.currentTimeMillis()));
    }

    @Test
    void aRunDirectoryThatCannotBeMadeIsReportedWithTheFix() throws Exception {
        Path blocker = run.resolve("not-a-folder");
        Files.writeString(blocker, "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> CountersFile.create(blocker, "qg0", LISTEN, 1));
        assertTrue(e.getMessage().startsWith("cannot create the counters file " + blocker.resolve("qg0.counters")), e.getMessage());
        assertTrue(e.getMessage().endsWith("make run-directory in the configuration a writable folder"), e.getMessage());
    }

    @Test
    void aStaleFileFromACrashIsReplaced() throws Exception {
        Files.writeString(run.resolve("qg0.counters"), "left by a crash");
        try (CountersFile file = CountersFile.create(run, "qg0", LISTEN, 1)) {
            file.counter("io_errors").incrementAndGet();
            assertEquals(1L, GatewaySnapshot.read(file.path(), System.currentTimeMillis()).counters().get("io_errors"));
        }
    }
}
