package io.qgate.engine.session;

import static io.qgate.engine.session.KeypairFixture.A_INDEX;
import static io.qgate.engine.session.KeypairFixture.B_INDEX;
import static io.qgate.engine.session.KeypairFixture.CLOSE;
import static io.qgate.engine.session.KeypairFixture.CREATED;
import static io.qgate.engine.session.KeypairFixture.DATA;
import static io.qgate.engine.session.KeypairFixture.EPOCH_PACKETS;
import static io.qgate.engine.session.KeypairFixture.assumeAvailable;
import static io.qgate.engine.session.KeypairFixture.chain;
import static io.qgate.engine.session.KeypairFixture.counter;
import static io.qgate.engine.session.KeypairFixture.open;
import static io.qgate.engine.session.KeypairFixture.packet;
import static io.qgate.engine.session.KeypairFixture.payload;
import static io.qgate.engine.session.KeypairFixture.seal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.crypto.Backend;
import io.qgate.crypto.BackendUnavailableException;
import io.qgate.crypto.SecretBytes;
import io.qgate.crypto.aead.AeadCipher;
import io.qgate.engine.protocol.Protocol;
import io.qgate.engine.protocol.Suite;
import io.qgate.engine.session.KeypairFixture.Pair;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KeypairTest {
    private static final Backend BACKEND = Backend.JDK;

    @ParameterizedTest
    @MethodSource("io.qgate.engine.session.KeypairFixture#suitesAndBackends")
    void sealedPacketsOpenOnThePeerInBothDirections(Suite suite, Backend backend) {
        assumeAvailable(backend);
        Pair pair = KeypairFixture.pair(suite, backend, 1, 0);
        try (Arena arena = Arena.ofConfined()) {
            for (int size : new int[] {0, 1, 1420}) {
                byte[] plaintext = payload(size, size);
                for (Keypair[] ends : new Keypair[][] {{pair.a(), pair.b()}, {pair.b(), pair.a()}}) {
                    MemorySegment packet = arena.allocate(size + Protocol.DATA_OVERHEAD);
                    MemorySegment.copy(plaintext, 0, packet, ValueLayout.JAVA_BYTE, DataHeader.LENGTH, size);

                    int length = ends[0].seal(0, packet, size, DATA, CREATED);
                    assertEquals(size + Protocol.DATA_OVERHEAD, length);
                    DataHeader header = new DataHeader().wrap(packet);
                    assertEquals(DATA, header.type());
                    assertEquals(Protocol.VERSION, header.version());
                    assertEquals(ends[1].localIndex(), header.receiverIndex());

                    assertEquals(size, ends[1].open(0, packet, length, CREATED + 1));
                    assertArrayEquals(plaintext, packet.asSlice(DataHeader.LENGTH, size).toArray(ValueLayout.JAVA_BYTE));
                }
            }
        }
        assertEquals(3, pair.a().sendCounter());
        assertEquals(2, pair.b().replayWindow().highest());
    }

    @ParameterizedTest
    @MethodSource("io.qgate.engine.session.KeypairFixture#suitesAndBackends")
    void aCloseCarriesItsReasonAndKeepsItsType(Suite suite, Backend backend) {
        assumeAvailable(backend);
        Pair pair = KeypairFixture.pair(suite, backend, 1, 0);
        byte[] reason = {0, 19};

        byte[] datagram = seal(pair.a(), reason, CLOSE);
        MemorySegment received = MemorySegment.ofArray(datagram);

        assertEquals(2, pair.b().open(0, received, datagram.length, CREATED));
        assertEquals(CLOSE, new DataHeader().wrap(received).type());
        assertArrayEquals(reason, received.asSlice(16, 2).toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void packetsFromBothBackendsInteroperate() {
        assumeAvailable(Backend.OPENSSL);
        Keypair jdkSender = KeypairFixture.a(Suite.DEFAULT, Backend.JDK, 1, 0);
        Keypair opensslReceiver = KeypairFixture.b(Suite.DEFAULT, Backend.OPENSSL, 1, 0, Protocol.INTEGRITY_LIMIT);
        byte[] plaintext = payload(100, 3);
        byte[] datagram = seal(jdkSender, plaintext);
        assertEquals(100, open(opensslReceiver, datagram));
    }

    @Test
    void workerZeroTakesItsOwnBackendAndTheOthersTheDataBackend() {
        assumeAvailable(Backend.OPENSSL);
        Keypair sender = new Keypair(Suite.DEFAULT, A_INDEX, B_INDEX, chain(1), chain(2), CREATED, 2, Backend.OPENSSL,
            Backend.JDK);
        Keypair receiver = KeypairFixture.b(Suite.DEFAULT, Backend.OPENSSL, 2, 0, Protocol.INTEGRITY_LIMIT);
        for (int worker = 0; worker < 2; worker++) {
            byte[] plaintext = payload(64, worker);
            MemorySegment packet = packet(plaintext);
            int length = sender.seal(worker, packet, plaintext.length, DATA, CREATED);
            assertEquals(plaintext.length, receiver.open(1 - worker, packet, length, CREATED), "worker " + worker);
        }
        assertEquals(Backend.JDK, sender.workerForTest(0).sendKeys(0).cipher().backend());
        assertEquals(Backend.OPENSSL, sender.workerForTest(1).sendKeys(0).cipher().backend());
    }

    @Test
    void workersReusingOneBufferOrGivenNewOnesSealAndOpenEveryPacket() {
        Pair pair = KeypairFixture.pair(BACKEND);
        MemorySegment sendBuffer = MemorySegment.ofArray(new byte[100 + Protocol.DATA_OVERHEAD]);
        MemorySegment receiveBuffer = MemorySegment.ofArray(new byte[200]);
        for (int i = 0; i < 4; i++) {
            byte[] plaintext = payload(50 + i * 10, i);
            MemorySegment send = i == 2 ? packet(plaintext) : sendBuffer;
            MemorySegment.copy(plaintext, 0, send, ValueLayout.JAVA_BYTE, DataHeader.LENGTH, plaintext.length);
            int length = pair.a().seal(0, send, plaintext.length, DATA, CREATED);

            MemorySegment receive = i == 3 ? MemorySegment.ofArray(new byte[length]) : receiveBuffer;
            MemorySegment.copy(send, 0, receive, 0, length);
            assertEquals(plaintext.length, pair.b().open(0, receive, length, CREATED), "packet " + i);
            assertArrayEquals(plaintext, receive.asSlice(DataHeader.LENGTH, plaintext.length).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void countersCountUpFromZeroAndEachPacketHasAFreshNonce() {
        Pair pair = KeypairFixture.pair(BACKEND);
        Set<String> ciphertexts = new HashSet<>();
        for (long expected = 0; expected < 5; expected++) {
            byte[] datagram = seal(pair.a(), new byte[32]);
            assertEquals(expected, counter(datagram));
            assertTrue(ciphertexts.add(HexFormat.of().formatHex(datagram, 16, 48)),
                "the same plaintext must never encrypt the same way twice");
        }
    }

    @Test
    void aReplayedPacketIsRefusedAndItsPayloadIsNotReleasedAgain() {
        Pair pair = KeypairFixture.pair(BACKEND);
        byte[] datagram = seal(pair.a(), payload(40, 1));
        assertEquals(40, open(pair.b(), datagram));

        MemorySegment replay = MemorySegment.ofArray(datagram.clone());
        assertEquals(Keypair.REPLAYED, pair.b().open(0, replay, datagram.length, CREATED));
        assertArrayEquals(datagram, replay.toArray(ValueLayout.JAVA_BYTE), "a refused packet is left as it came");
    }

    @Test
    void aPacketBelowTheWindowIsRefusedAsReplayed() {
        Pair pair = KeypairFixture.pair(BACKEND);
        byte[] first = seal(pair.a(), payload(8, 1));
        pair.b().replayWindow().commit(ReplayWindow.WINDOW);
        assertEquals(Keypair.REPLAYED, open(pair.b(), first));
    }

    @Test
    void tamperedHeaderCiphertextOrTagFailsAuthenticationWithoutMovingTheWindowOrLeakingPlaintext() {
        Pair pair = KeypairFixture.pair(BACKEND);
        assertEquals(0, open(pair.b(), seal(pair.a(), new byte[0])));
        byte[] genuine = seal(pair.a(), payload(64, 9));
        long highestBefore = pair.b().replayWindow().highest();
        // Type DATA->CLOSE, counter 1->3 (epoch 0 either way), a ciphertext byte, a tag byte.
        int[][] tamperings = {{DataHeader.TYPE_OFFSET, DATA ^ CLOSE}, {DataHeader.COUNTER_OFFSET + 7, 2},
            {16, 1}, {16 + 63, 0x80}, {16 + 64, 1}, {genuine.length - 1, 0x40}};

        for (int[] tampering : tamperings) {
            byte[] forged = genuine.clone();
            forged[tampering[0]] ^= (byte) tampering[1];
            MemorySegment segment = MemorySegment.ofArray(forged);

            assertEquals(Keypair.AUTH_FAILED, pair.b().open(0, segment, forged.length, CREATED),
                "tampering at offset " + tampering[0]);
            assertArrayEquals(new byte[forged.length - 16], segment.asSlice(16).toArray(ValueLayout.JAVA_BYTE),
                "no plaintext may be left after a failed open");
            assertEquals(highestBefore, pair.b().replayWindow().highest());
        }
        assertEquals(tamperings.length, pair.b().failedOpens());
        assertEquals(64, open(pair.b(), genuine), "the genuine packet is still accepted");
    }

    @Test
    void aPacketOfAnotherKeypairFailsAuthentication() {
        Keypair other = new Keypair(Suite.DEFAULT, A_INDEX, B_INDEX, chain(7), chain(8), CREATED, 1, BACKEND);
        Pair pair = KeypairFixture.pair(BACKEND);
        assertEquals(Keypair.AUTH_FAILED, open(pair.b(), seal(other, payload(10, 1))));
    }

    @Test
    void aKeypairAsOldAsRejectAfterTimeNeitherSealsNorOpens() {
        Pair pair = KeypairFixture.pair(BACKEND);
        byte[] datagram = seal(pair.a(), payload(10, 1));
        long expired = CREATED + Protocol.REJECT_AFTER_TIME;

        assertEquals(Keypair.EXPIRED, open(pair.b(), datagram, expired));
        assertEquals(10, open(pair.b(), datagram, expired - 1), "one nanosecond younger is still valid");
        assertEquals(Keypair.EXPIRED, pair.a().seal(0, packet(new byte[4]), 4, DATA, expired));
        assertEquals(1, pair.a().sendCounter(), "an expired keypair takes no counter");
    }

    @Test
    void malformedDatagramsAreRefusedBeforeDecryption() {
        Pair pair = KeypairFixture.pair(BACKEND);
        byte[] genuine = seal(pair.a(), payload(20, 2));

        assertEquals(Keypair.TOO_SHORT, open(pair.b(), Arrays.copyOf(genuine, 31)));
        assertEquals(Keypair.BAD_TYPE, open(pair.b(), with(genuine, DataHeader.TYPE_OFFSET, 1)));
        assertEquals(Keypair.BAD_VERSION, open(pair.b(), with(genuine, DataHeader.VERSION_OFFSET, 2)));
        assertEquals(Keypair.WRONG_RECEIVER, open(pair.b(), with(genuine, DataHeader.RECEIVER_INDEX_OFFSET + 3, 0)));
        assertEquals(Keypair.BAD_EPOCH, open(pair.b(), with(genuine, DataHeader.EPOCH_OFFSET + 1, 1)));
        assertEquals(0, pair.b().failedOpens(), "refused before the AEAD ran");
        assertEquals(20, open(pair.b(), genuine));
    }

    @Test
    void countersBeyondTheLimitAreRefusedEvenWithAMatchingEpochField() {
        Pair pair = KeypairFixture.pair(BACKEND);
        byte[] genuine = seal(pair.a(), payload(20, 2));
        byte[] beyond = genuine.clone();
        MemorySegment header = MemorySegment.ofArray(beyond);
        new DataHeader().wrap(header).counter(Protocol.REJECT_AFTER_MESSAGES + 1).epoch(0);
        assertEquals(Keypair.EXHAUSTED, open(pair.b(), beyond));
        new DataHeader().wrap(header).counter(-1L).epoch(0xffff);
        assertEquals(Keypair.EXHAUSTED, open(pair.b(), beyond));
    }

    private static byte[] with(byte[] datagram, int offset, int value) {
        byte[] changed = datagram.clone();
        changed[offset] = (byte) value;
        return changed;
    }

    @Test
    void packetsCrossingAnEpochBoundaryOpenInAnyOrderInBothDirections() {
        Pair pair = KeypairFixture.pair(Suite.DEFAULT, BACKEND, 1, EPOCH_PACKETS - 3);
        for (Keypair[] ends : new Keypair[][] {{pair.a(), pair.b()}, {pair.b(), pair.a()}}) {
            byte[][] sent = new byte[6][];
            for (int i = 0; i < sent.length; i++) {
                sent[i] = seal(ends[0], payload(30, i));
                assertEquals(i < 3 ? 0 : 1, new DataHeader().wrap(MemorySegment.ofArray(sent[i])).epoch());
            }

            for (int i : new int[] {3, 0, 5, 1, 4, 2}) {
                assertEquals(30, open(ends[1], sent[i]), "packet " + i);
            }
            for (byte[] datagram : sent) {
                assertEquals(Keypair.REPLAYED, open(ends[1], datagram));
            }
            assertEquals(EPOCH_PACKETS + 2, ends[1].replayWindow().highest());
        }
    }

    @Test
    void aReceiverAcceptsOneEpochEitherSideOfTheHighestAndRetiresOlderOnes() {
        Keypair receiver = KeypairFixture.b(Suite.DEFAULT, BACKEND, 1, 0, Protocol.INTEGRITY_LIMIT);
        byte[] epoch0 = seal(KeypairFixture.a(Suite.DEFAULT, BACKEND, 1, 5), payload(5, 0));
        byte[] epoch2 = seal(KeypairFixture.a(Suite.DEFAULT, BACKEND, 1, 2 * EPOCH_PACKETS + 5), payload(5, 2));
        byte[] epoch1 = seal(KeypairFixture.a(Suite.DEFAULT, BACKEND, 1, EPOCH_PACKETS + 5), payload(5, 1));
        byte[] epoch3 = seal(KeypairFixture.a(Suite.DEFAULT, BACKEND, 1, 3 * EPOCH_PACKETS + 5), payload(5, 3));
        Keypair epoch4Sender = KeypairFixture.a(Suite.DEFAULT, BACKEND, 1, 4 * EPOCH_PACKETS);
        byte[] epoch4 = seal(epoch4Sender, payload(5, 4));

        assertEquals(Keypair.EPOCH_AHEAD, open(receiver, epoch2), "two epochs ahead of epoch 0");
        assertEquals(5, open(receiver, epoch1));
        assertEquals(5, open(receiver, epoch2));
        assertEquals(Keypair.EPOCH_AHEAD, open(receiver, epoch4));
        assertEquals(Keypair.REPLAYED, open(receiver, epoch0), "two epochs behind epoch 2");
        assertEquals(5, open(receiver, epoch3));
        assertEquals(5, open(receiver, epoch4));
        assertEquals(5, open(receiver, seal(epoch4Sender, payload(5, 5))), "slots move at the next call");
        assertEquals(0, receiver.failedOpens());
        EpochCipher[] slots = receiver.workerForTest(0).slotsForTest();
        Set<Integer> receiveEpochs = Set.of(slots[1].epoch(), slots[2].epoch(), slots[3].epoch());
        assertEquals(Set.of(3, 4, 5), receiveEpochs, "a receiver keeps exactly h - 1, h, h + 1");
    }

    @Test
    void aSenderStopsAtTheLastCounterAndTheReceiverOpensTheLastEpoch() {
        Keypair sender = KeypairFixture.a(Suite.DEFAULT, BACKEND, 1, Protocol.REJECT_AFTER_MESSAGES - 1);
        Keypair receiver = KeypairFixture.b(Suite.DEFAULT, BACKEND, 1, 0, Protocol.INTEGRITY_LIMIT);
        receiver.replayWindow().commit(Protocol.REJECT_AFTER_MESSAGES - EPOCH_PACKETS - 5);

        byte[] secondLast = seal(sender, payload(7, 1));
        byte[] last = seal(sender, payload(7, 2));
        MemorySegment refused = packet(new byte[7]);
        assertEquals(Keypair.EXHAUSTED, sender.seal(0, refused, 7, DATA, CREATED));
        assertEquals(Keypair.EXHAUSTED, sender.seal(0, refused, 7, DATA, CREATED));

        assertEquals(Protocol.REJECT_AFTER_MESSAGES, counter(last));
        assertEquals(Protocol.MAX_EPOCH, new DataHeader().wrap(MemorySegment.ofArray(last)).epoch());
        assertEquals(Protocol.REJECT_AFTER_MESSAGES + 1, sender.sendCounter(), "the counter stops growing");
        assertArrayEquals(new byte[7 + Protocol.DATA_OVERHEAD], refused.toArray(ValueLayout.JAVA_BYTE),
            "nothing is written when the counters are used up");
        assertEquals(7, open(receiver, last));
        assertEquals(7, open(receiver, secondLast));
    }

    @Test
    void theIntegrityLimitClosesTheKeypair() {
        Keypair sender = KeypairFixture.a(Suite.DEFAULT, BACKEND, 1, 0);
        Keypair receiver = KeypairFixture.b(Suite.DEFAULT, BACKEND, 1, 0, 3);
        byte[] genuine = seal(sender, payload(12, 1));
        byte[] forged = with(genuine, genuine.length - 1, genuine[genuine.length - 1] ^ 1);

        assertEquals(Keypair.AUTH_FAILED, open(receiver, forged));
        assertEquals(Keypair.AUTH_FAILED, open(receiver, forged));
        assertFalse(receiver.isClosed());
        assertEquals(Keypair.AUTH_FAILED, open(receiver, forged));

        assertTrue(receiver.isClosed());
        assertTrue(receiver.isErased(), "the worker erases its keys as the failing call returns");
        assertEquals(Keypair.CLOSED, open(receiver, genuine));
        assertEquals(3, receiver.failedOpens());
    }

    @Test
    void aWorkerDerivesOnlyTheCiphersItUses() {
        Pair pair = KeypairFixture.pair(Suite.DEFAULT, BACKEND, 3, 0);
        EpochCipher[] sender = pair.a().workerForTest(1).slotsForTest();
        EpochCipher[] receiver = pair.a().workerForTest(2).slotsForTest();
        EpochCipher[] idle = pair.a().workerForTest(0).slotsForTest();
        for (EpochCipher slot : idle) {
            assertNull(slot.cipher(), "a new keypair holds no cipher context until a worker uses it");
        }
        assertTrue(pair.a().seal(1, packet(new byte[3]), 3, DATA, CREATED) > 0);
        MemorySegment fromB = packet(new byte[5]);
        int sealedByB = pair.b().seal(0, fromB, 5, DATA, CREATED);
        assertEquals(5, pair.a().open(2, fromB, sealedByB, CREATED));
        assertNotNull(sender[0].cipher(), "the sealing worker has its send cipher");
        assertNull(sender[1].cipher(), "and no receive cipher");
        assertNull(receiver[0].cipher(), "the opening worker has no send cipher");
        assertNotNull(receiver[1].cipher(), "but receive epochs 0 and 1");
        assertNotNull(receiver[2].cipher());
        for (EpochCipher slot : idle) {
            assertNull(slot.cipher(), "an unused worker still holds none");
        }
        pair.a().close();
        pair.b().close();
        assertTrue(pair.a().isErased());
    }

    @Test
    void closeErasesEveryKeyAndLaterCallsReturnClosed() {
        Pair pair = KeypairFixture.pair(Suite.DEFAULT, BACKEND, 2, 0);
        byte[] datagram = seal(pair.a(), payload(10, 1));
        WorkerCiphers worker = pair.a().workerForTest(1);
        EpochCipher[] slots = worker.slotsForTest();
        // worker 1 seals one packet and opens one: it derives the send epoch 0 and the receive epochs 0 and 1
        assertTrue(pair.a().seal(1, packet(new byte[3]), 3, DATA, CREATED) > 0);
        MemorySegment fromB = packet(new byte[5]);
        int sealedByB = pair.b().seal(0, fromB, 5, DATA, CREATED);
        assertEquals(5, pair.a().open(1, fromB, sealedByB, CREATED));
        AeadCipher[] ciphers = {slots[0].cipher(), slots[1].cipher(), slots[2].cipher()};
        for (AeadCipher cipher : ciphers) {
            assertNotNull(cipher);
        }
        assertFalse(pair.a().isErased());

        pair.a().close();
        pair.a().close();
        pair.b().close();

        assertTrue(pair.a().isErased());
        assertTrue(pair.b().isErased());
        for (AeadCipher cipher : ciphers) {
            assertThrows(IllegalStateException.class, () -> cipher.seal(MemorySegment.ofArray(new byte[12]),
                MemorySegment.NULL, MemorySegment.ofArray(new byte[16]), 0), "a closed cipher has no key");
        }
        assertEquals(Keypair.CLOSED, pair.a().seal(1, packet(new byte[3]), 3, DATA, CREATED));
        assertEquals(Keypair.CLOSED, open(pair.b(), datagram));
        assertTrue(pair.a().isClosed());
    }

    @Test
    void theConstructorTakesOwnershipOfTheChainsAndChecksItsArguments() {
        SecretBytes send = chain(1);
        SecretBytes receive = chain(2);
        Keypair keypair = new Keypair(Suite.DEFAULT, 1, 2, send, receive, 0, 1, BACKEND);
        assertTrue(send.isDestroyed() && receive.isDestroyed());
        assertEquals(Suite.DEFAULT, keypair.suite());
        assertEquals(1, keypair.localIndex());
        assertEquals(2, keypair.remoteIndex());
        assertEquals(0, keypair.createdNanos());
        assertEquals(0, keypair.sendCounter());

        SecretBytes shortChain = SecretBytes.wrap(new byte[16]);
        SecretBytes other = chain(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new Keypair(Suite.DEFAULT, 1, 2, shortChain, other, 0, 1, BACKEND));
        assertTrue(e.getMessage().contains("32 bytes"), e.getMessage());
        assertTrue(shortChain.isDestroyed() && other.isDestroyed(), "refused chains are erased too");
        assertThrows(IllegalArgumentException.class,
            () -> new Keypair(Suite.DEFAULT, 1, 2, chain(1), chain(2), 0, 0, BACKEND));
        assertThrows(IllegalArgumentException.class,
            () -> new Keypair(Suite.DEFAULT, 1, 2, chain(1), chain(2), 0, Keypair.MAX_WORKERS + 1, BACKEND));
        assertThrows(BackendUnavailableException.class,
            () -> new Keypair(Suite.DEFAULT, 1, 2, chain(1), chain(2), 0, 1, Backend.BOUNCY_CASTLE));
        assertThrows(IllegalArgumentException.class, () -> new Keypair(Suite.DEFAULT, 1, 2, chain(1), chain(2), 0, 1,
            BACKEND, Protocol.REJECT_AFTER_MESSAGES + 1, 1));
        assertThrows(IllegalArgumentException.class,
            () -> new Keypair(Suite.DEFAULT, 1, 2, chain(1), chain(2), 0, 1, BACKEND, 0, 0));
    }

    @Test
    void sealsAndOpensWithTheCallersBodySliceAndRefusesAnyOtherSlice() {
        Pair pair = KeypairFixture.pair(BACKEND);
        byte[] plaintext = payload(60, 5);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment packet = arena.allocate(60 + Protocol.DATA_OVERHEAD);
            MemorySegment other = arena.allocate(60 + Protocol.DATA_OVERHEAD);
            MemorySegment.copy(plaintext, 0, packet, ValueLayout.JAVA_BYTE, DataHeader.LENGTH, 60);
            MemorySegment body = packet.asSlice(DataHeader.LENGTH);

            assertThrows(IllegalArgumentException.class, () -> pair.a().seal(0, packet, packet.asSlice(8), 60, DATA, CREATED));
            assertThrows(IllegalArgumentException.class,
                () -> pair.a().seal(0, packet, other.asSlice(DataHeader.LENGTH), 60, DATA, CREATED));
            assertEquals(0, pair.a().sendCounter(), "a refused slice takes no counter");

            int length = pair.a().seal(0, packet, body, 60, DATA, CREATED);
            assertEquals(60 + Protocol.DATA_OVERHEAD, length);
            assertThrows(IllegalArgumentException.class,
                () -> pair.b().open(0, packet, packet.asSlice(DataHeader.LENGTH, 60), length, CREATED));
            assertEquals(60, pair.b().open(0, packet, body, length, CREATED));
            assertArrayEquals(plaintext, body.asSlice(0, 60).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void callerErrorsAreRefusedWithAnExceptionAndTakeNoCounter() {
        Pair pair = KeypairFixture.pair(BACKEND);
        Keypair a = pair.a();
        MemorySegment packet = packet(new byte[10]);

        assertThrows(IllegalArgumentException.class, () -> a.seal(1, packet, 10, DATA, CREATED));
        assertThrows(IllegalArgumentException.class, () -> a.seal(-1, packet, 10, DATA, CREATED));
        assertThrows(IllegalArgumentException.class, () -> a.seal(0, packet, 10, 1, CREATED));
        assertThrows(IllegalArgumentException.class, () -> a.seal(0, packet, 11, DATA, CREATED));
        assertThrows(IllegalArgumentException.class, () -> a.seal(0, packet, -1, DATA, CREATED));
        assertThrows(IllegalArgumentException.class, () -> a.open(0, packet, 43, CREATED));
        assertThrows(IllegalArgumentException.class, () -> a.open(0, packet, -1, CREATED));
        assertThrows(IllegalArgumentException.class, () -> a.open(2, packet, 42, CREATED));
        assertEquals(0, a.sendCounter());
    }

    @Test
    void everyStatusHasItsOwnDescription() {
        Set<String> descriptions = new HashSet<>();
        for (int status = Keypair.AUTH_FAILED; status <= Keypair.CLOSED; status++) {
            String description = Keypair.describe(status);
            assertFalse(description.startsWith("unknown"), "status " + status);
            assertTrue(descriptions.add(description.substring(0, description.indexOf(':'))), description);
        }
        assertEquals("ok: 12 bytes", Keypair.describe(12));
        assertEquals("unknown status -99", Keypair.describe(-99));
        assertNotEquals(Keypair.describe(Keypair.REPLAYED), Keypair.describe(Keypair.EPOCH_AHEAD));
    }
}
