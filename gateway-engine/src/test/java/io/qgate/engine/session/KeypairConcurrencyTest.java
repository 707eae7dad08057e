package io.qgate.engine.session;

import static io.qgate.engine.session.KeypairFixture.CREATED;
import static io.qgate.engine.session.KeypairFixture.DATA;
import static io.qgate.engine.session.KeypairFixture.EPOCH_PACKETS;
import static io.qgate.engine.session.KeypairFixture.counter;
import static io.qgate.engine.session.KeypairFixture.seal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.crypto.Backend;
import io.qgate.crypto.aead.Aeads;
import io.qgate.engine.protocol.Protocol;
import io.qgate.engine.protocol.Suite;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several workers on one keypair at once. The receive test delivers every genuine packet to two
 * or three workers (sometimes twice to the same one), shuffled, mixed with forgeries, across an
 * epoch boundary, and checks that each genuine counter was accepted exactly once with its own
 * plaintext and that no forgery was accepted. The send test checks that concurrent sealers never
 * share a counter. The close tests close a keypair while its workers are inside calls.
 */
class KeypairConcurrencyTest {
    private static final int WORKERS = 4;
    private static final int GENUINE = 6000;
    private static final int PAYLOAD = 48;
    private static final int ROUNDS = 3;

    /** One datagram to open: a private copy, and the counter it proves (-1 for a forgery). */
    private record Delivery(byte[] datagram, long counter) {
    }

    /** The body of one worker thread, given its worker id. */
    private interface WorkerBody {
        void run(int worker) throws Exception;
    }

    /** One thread per worker id, released together; what they throw is collected and asserted on join. */
    private static final class Workers {
        private final List<Thread> threads = new ArrayList<>();
        private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

        Workers(int count, String name, WorkerBody body) {
            CyclicBarrier start = new CyclicBarrier(count);
            for (int w = 0; w < count; w++) {
                int worker = w;
                Thread thread = new Thread(() -> {
                    try {
                        start.await();
                        body.run(worker);
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, name + "-" + w);
                threads.add(thread);
                thread.start();
            }
        }

        void joinAndCheck() throws InterruptedException {
            for (Thread thread : threads) {
                thread.join();
            }
            assertTrue(failures.isEmpty(), () -> "failures: " + failures);
        }
    }

    private static Backend fastestBackend() {
        return Aeads.isAvailable(Backend.OPENSSL) ? Backend.OPENSSL : Backend.JDK;
    }

    private static byte[] payloadOf(long counter) {
        byte[] payload = new byte[PAYLOAD];
        for (int i = 0; i < PAYLOAD; i++) {
            payload[i] = (byte) (counter >>> (8 * (i & 7)) ^ i);
        }
        return payload;
    }

    @Test
    @Timeout(30)
    void shuffledDuplicatesAndForgeriesOnFourWorkersAcceptEachGenuineCounterExactlyOnce() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Backend backend = round % 2 == 0 ? fastestBackend() : Backend.JDK;
            Suite suite = round == 1 ? Suite.MLKEM768_MLDSA65_CHACHA20POLY1305 : Suite.DEFAULT;
            runReceiveRound(new SplittableRandom(round), suite, backend);
        }
    }

    private static void runReceiveRound(SplittableRandom random, Suite suite, Backend backend) throws Exception {
        long first = EPOCH_PACKETS - GENUINE / 2;
        Keypair sender = KeypairFixture.a(suite, backend, 1, first);
        Keypair receiver = KeypairFixture.b(suite, backend, WORKERS, 0, Protocol.INTEGRITY_LIMIT);
        List<List<Delivery>> perWorker = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            perWorker.add(new ArrayList<>());
        }
        int forgeries = 0;
        for (int i = 0; i < GENUINE; i++) {
            long counter = first + i;
            byte[] datagram = seal(sender, payloadOf(counter));
            int copies = 2 + random.nextInt(2);
            for (int c = 0; c < copies; c++) {
                perWorker.get(random.nextInt(WORKERS)).add(new Delivery(datagram.clone(), counter));
            }
            if (random.nextInt(8) == 0) {
                perWorker.get(random.nextInt(WORKERS)).add(new Delivery(forge(datagram, random), -1));
                forgeries++;
            }
        }
        for (List<Delivery> deliveries : perWorker) {
            shuffle(deliveries, random);
        }

        AtomicIntegerArray accepted = new AtomicIntegerArray(GENUINE);
        AtomicInteger forgeriesAccepted = new AtomicInteger();
        new Workers(WORKERS, "opener", worker -> {
            for (Delivery delivery : perWorker.get(worker)) {
                MemorySegment segment = MemorySegment.ofArray(delivery.datagram);
                int result = receiver.open(worker, segment, delivery.datagram.length, CREATED);
                if (result < 0) {
                    continue;
                }
                if (delivery.counter < 0) {
                    forgeriesAccepted.incrementAndGet();
                    continue;
                }
                accepted.incrementAndGet((int) (delivery.counter - first));
                assertArrayEquals(payloadOf(delivery.counter),
                    segment.asSlice(DataHeader.LENGTH, result).toArray(ValueLayout.JAVA_BYTE));
            }
        }).joinAndCheck();
        assertEquals(0, forgeriesAccepted.get(), "forgeries accepted");
        int lost = 0;
        int duplicated = 0;
        for (int i = 0; i < GENUINE; i++) {
            lost += accepted.get(i) == 0 ? 1 : 0;
            duplicated += accepted.get(i) > 1 ? 1 : 0;
        }
        assertEquals(0, lost + duplicated, GENUINE + " genuine counters (" + suite + ", " + backend + "): "
            + lost + " never accepted, " + duplicated + " accepted more than once");
        assertEquals(first + GENUINE - 1, receiver.replayWindow().highest());
        assertTrue(receiver.failedOpens() <= forgeries, "only forgeries fail authentication");
    }

    /** A copy of {@code datagram} with one bit flipped: in the counter, the ciphertext or the tag. */
    private static byte[] forge(byte[] datagram, SplittableRandom random) {
        byte[] forged = datagram.clone();
        int offset = switch (random.nextInt(3)) {
            case 0 -> DataHeader.COUNTER_OFFSET + 7;
            case 1 -> DataHeader.LENGTH + random.nextInt(PAYLOAD);
            default -> forged.length - 1 - random.nextInt(Protocol.TAG_LENGTH);
        };
        forged[offset] ^= (byte) (1 << random.nextInt(8));
        return forged;
    }

    private static <T> void shuffle(List<T> list, SplittableRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            list.set(j, list.set(i, list.get(j)));
        }
    }

    @Test
    @Timeout(30)
    void twoWorkersSealingAtOnceNeverShareACounterAndEveryPacketOpens() throws Exception {
        int perWorker = 1500;
        long first = EPOCH_PACKETS - perWorker;
        Backend backend = fastestBackend();
        Keypair sender = KeypairFixture.a(Suite.DEFAULT, backend, 2, first);
        Keypair receiver = KeypairFixture.b(Suite.DEFAULT, backend, 1, 0, Protocol.INTEGRITY_LIMIT);
        byte[][][] sealed = new byte[2][perWorker][];
        new Workers(2, "sealer", worker -> {
            for (int i = 0; i < perWorker; i++) {
                byte[] payload = new byte[] {(byte) worker, (byte) (i >>> 8), (byte) i};
                MemorySegment packet = KeypairFixture.packet(payload);
                int length = sender.seal(worker, packet, payload.length, DATA, CREATED);
                assertEquals(payload.length + Protocol.DATA_OVERHEAD, length);
                sealed[worker][i] = packet.toArray(ValueLayout.JAVA_BYTE);
            }
        }).joinAndCheck();

        boolean[] used = new boolean[2 * perWorker];
        for (int w = 0; w < 2; w++) {
            long previous = -1;
            for (int i = 0; i < perWorker; i++) {
                long counter = counter(sealed[w][i]);
                assertTrue(counter > previous, "one worker's counters grow");
                previous = counter;
                int slot = (int) (counter - first);
                assertTrue(slot >= 0 && slot < used.length && !used[slot], "counter " + counter + " used twice or out of range");
                used[slot] = true;
                byte[] received = sealed[w][i].clone();
                assertEquals(3, receiver.open(0, MemorySegment.ofArray(received), received.length, CREATED));
                assertArrayEquals(new byte[] {(byte) w, (byte) (i >>> 8), (byte) i}, Arrays.copyOfRange(received, 16, 19));
            }
        }
        assertEquals(first + 2 * perWorker, sender.sendCounter());
    }

    @Test
    @Timeout(30)
    void closingWhileWorkersSealAndOpenNeverBreaksACallAndErasesEverything() throws Exception {
        Backend backend = fastestBackend();
        Keypair sender = KeypairFixture.a(Suite.DEFAULT, backend, 1, 0);
        Keypair keypair = KeypairFixture.b(Suite.DEFAULT, backend, WORKERS, EPOCH_PACKETS - 100,
            Protocol.INTEGRITY_LIMIT);
        int perWorker = 4000;
        byte[][] incoming = new byte[WORKERS * perWorker][];
        for (int i = 0; i < incoming.length; i++) {
            incoming[i] = seal(sender, payloadOf(i));
        }
        AtomicLong successes = new AtomicLong();
        AtomicInteger sawClosed = new AtomicInteger();
        Workers workers = new Workers(WORKERS, "worker", worker -> {
            MemorySegment packet = KeypairFixture.packet(new byte[PAYLOAD]);
            long deadline = System.nanoTime() + 10_000_000_000L;
            for (int i = 0; System.nanoTime() < deadline; i++) {
                int opened = PAYLOAD;
                if (i < perWorker) {
                    byte[] datagram = incoming[i * WORKERS + worker];
                    opened = keypair.open(worker, MemorySegment.ofArray(datagram), datagram.length, CREATED);
                }
                int sealedLength = keypair.seal(worker, packet, PAYLOAD, DATA, CREATED);
                if (sealedLength == Keypair.CLOSED) {
                    sawClosed.incrementAndGet();
                    assertTrue(i >= perWorker || keypair.open(worker, MemorySegment.ofArray(incoming[0]),
                        incoming[0].length, CREATED) == Keypair.CLOSED, "open after a closed seal");
                    return;
                }
                assertTrue(opened == PAYLOAD || opened == Keypair.REPLAYED || opened == Keypair.CLOSED,
                    Keypair.describe(opened));
                assertEquals(PAYLOAD + Protocol.DATA_OVERHEAD, sealedLength, Keypair.describe(sealedLength));
                successes.incrementAndGet();
            }
        });
        long patience = System.nanoTime() + 5_000_000_000L;
        while (successes.get() < 200 && System.nanoTime() < patience) {
            Thread.onSpinWait();
        }
        keypair.close();
        workers.joinAndCheck();

        assertEquals(WORKERS, sawClosed.get(), "every worker must see the close");
        assertTrue(keypair.isErased(), "every worker erased its keys");
    }
}
