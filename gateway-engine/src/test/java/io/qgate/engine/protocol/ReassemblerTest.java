package io.qgate.engine.protocol;

import static io.qgate.engine.protocol.Datagrams.feed;
import static io.qgate.engine.protocol.Datagrams.fragment;
import static io.qgate.engine.protocol.Datagrams.initiation;
import static io.qgate.engine.protocol.Datagrams.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.engine.protocol.Reassembler.Complete;
import io.qgate.engine.protocol.Reassembler.Dropped;
import io.qgate.engine.protocol.Reassembler.Incomplete;
import io.qgate.engine.protocol.Reassembler.Result;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReassemblerTest {
    private static final InetSocketAddress ALICE = source("192.0.2.1", 5000);
    private static final long TIMEOUT = Protocol.REASSEMBLY_TIMEOUT;

    private final Reassembler reassembler = new Reassembler();

    @Test
    void completesASingleFragmentMessageWithoutStoringState() {
        HandshakeMessage message = Datagrams.message(MessageType.INITIATION, 300, new Random(1));
        byte[] datagram = Fragmenter.fragment(message, 1_200).getFirst();
        Complete complete = assertInstanceOf(Complete.class, feed(reassembler, ALICE, datagram, 0));
        assertEquals(message, complete.message());
        assertEquals(316, complete.datagramBytes());
        assertEquals(0, reassembler.partialCount());
        assertEquals(0, reassembler.partialBytes());
    }

    @Test
    void completesOutOfOrderFragmentsAndCountsDuplicateBytes() {
        HandshakeMessage message = Datagrams.message(MessageType.RESPONSE, 3_000, new Random(2));
        List<byte[]> fragments = Fragmenter.fragment(message, 1_200);
        assertInstanceOf(Incomplete.class, feed(reassembler, ALICE, fragments.get(2), 0));
        assertEquals(1, reassembler.partialCount());
        assertEquals(3_000, reassembler.partialBytes());
        assertInstanceOf(Incomplete.class, feed(reassembler, ALICE, fragments.get(0), 1));
        assertInstanceOf(Incomplete.class, feed(reassembler, ALICE, fragments.get(0), 2));
        Complete complete = assertInstanceOf(Complete.class, feed(reassembler, ALICE, fragments.get(1), 3));
        assertEquals(message, complete.message());
        assertEquals(3_000 + 3 * 16 + 1_200, complete.datagramBytes());
        assertEquals(0, reassembler.partialCount());
        assertEquals(0, reassembler.partialBytes());
    }

    @Test
    void keepsTheFirstCopyOfADuplicateIndex() {
        byte[] first = initiation(20, 0, 0, 2, 10);
        byte[] other = first.clone();
        Arrays.fill(other, 16, other.length, (byte) 77);
        feed(reassembler, ALICE, first, 0);
        assertInstanceOf(Incomplete.class, feed(reassembler, ALICE, other, 0));
        Complete complete = assertInstanceOf(Complete.class, feed(reassembler, ALICE, initiation(20, 10, 1, 2, 10), 0));
        assertEquals(1, complete.message().body()[0]);
        assertEquals(2, complete.message().body()[19]);
    }

    @Test
    void reassemblesMessagesFromOneSourceSeparatelyByTypeAndSenderIndex() {
        feed(reassembler, ALICE, fragment(MessageType.RESPONSE, 20, 7, 9, 0, 0, 2, 10), 0);
        feed(reassembler, ALICE, fragment(MessageType.CONFIRM, 20, 7, 9, 0, 0, 2, 10), 0);
        feed(reassembler, ALICE, fragment(MessageType.RESPONSE, 20, 8, 9, 0, 0, 2, 10), 0);
        feed(reassembler, source("192.0.2.1", 5001), fragment(MessageType.RESPONSE, 20, 7, 9, 0, 0, 2, 10), 0);
        assertEquals(4, reassembler.partialCount());
        Complete complete = assertInstanceOf(Complete.class,
            feed(reassembler, ALICE, fragment(MessageType.CONFIRM, 20, 7, 9, 10, 1, 2, 10), 0));
        assertEquals(MessageType.CONFIRM, complete.message().type());
        assertEquals(3, reassembler.partialCount());
    }

    @Test
    void dropsFragmentsThatAreMalformedAlone() {
        assertDropped(ErrorCode.MALFORMED_MESSAGE, Arrays.copyOf(initiation(1, 0, 0, 1, 1), 16));
        assertDropped(ErrorCode.MALFORMED_MESSAGE, initiation(1_185, 0, 0, 1, 1_185));
        byte[] unknownType = initiation(1, 0, 0, 1, 1);
        unknownType[0] = 9;
        assertDropped(ErrorCode.UNKNOWN_MESSAGE_TYPE, unknownType);
        assertDropped(ErrorCode.MALFORMED_MESSAGE, fragment(MessageType.DATA, 1, 7, 9, 0, 0, 1, 1));
        byte[] version2 = initiation(1, 0, 0, 1, 1);
        version2[1] = 2;
        assertDropped(ErrorCode.UNSUPPORTED_VERSION, version2);
        assertDropped(ErrorCode.MALFORMED_MESSAGE, initiation(0, 0, 0, 1, 1));
        assertDropped(ErrorCode.MALFORMED_MESSAGE, fragment(MessageType.INITIATION, 1, 0, 0, 0, 0, 1, 1));
        assertDropped(ErrorCode.MALFORMED_MESSAGE, fragment(MessageType.INITIATION, 1, 7, 3, 0, 0, 1, 1));
        assertDropped(ErrorCode.MALFORMED_MESSAGE, fragment(MessageType.RESPONSE, 1, 7, 0, 0, 0, 1, 1));
        assertDropped(ErrorCode.MALFORMED_MESSAGE, initiation(1, 0, 0, 0, 1));
        assertDropped(ErrorCode.MALFORMED_MESSAGE, initiation(100, 0, 0, 65, 1));
        assertDropped(ErrorCode.MALFORMED_MESSAGE, initiation(100, 0, 2, 2, 1));
        assertDropped(ErrorCode.MALFORMED_MESSAGE, initiation(10, 5, 1, 2, 6));
        assertDropped(ErrorCode.MALFORMED_MESSAGE, initiation(10, 1, 0, 2, 5));
        assertDropped(ErrorCode.MALFORMED_MESSAGE, initiation(10, 5, 1, 2, 4));
        assertDropped(ErrorCode.MALFORMED_MESSAGE, initiation(10, 0, 0, 2, 10));
        assertDropped(ErrorCode.MALFORMED_MESSAGE, initiation(10, 0, 1, 3, 1));
        assertDropped(ErrorCode.MALFORMED_MESSAGE, initiation(2 * 1_184 + 1, 0, 0, 2, 1_000));
        assertDropped(ErrorCode.MALFORMED_MESSAGE, initiation(10, 0, 0, 1, 9));
        assertEquals(0, reassembler.partialCount());
    }

    @Test
    void dropsOverlappingFragmentsAndThePartialMessage() {
        assertInstanceOf(Incomplete.class, feed(reassembler, ALICE, initiation(15, 0, 0, 2, 10), 0));
        Dropped dropped = assertDropped(ErrorCode.MALFORMED_MESSAGE, initiation(15, 5, 1, 2, 10));
        assertTrue(dropped.why().contains("overlaps or leaves a gap"), dropped.why());
        assertEquals(0, reassembler.partialCount());
        assertEquals(0, reassembler.partialBytes());
    }

    @Test
    void dropsAGapBetweenFragmentsWhicheverArrivesFirst() {
        assertInstanceOf(Incomplete.class, feed(reassembler, ALICE, initiation(15, 12, 1, 2, 3), 0));
        assertDropped(ErrorCode.MALFORMED_MESSAGE, initiation(15, 0, 0, 2, 10));
        assertEquals(0, reassembler.partialCount());
    }

    @Test
    void dropsAGapFoundOnlyWhenTheMiddleFragmentArrives() {
        feed(reassembler, ALICE, initiation(30, 0, 0, 3, 10), 0);
        feed(reassembler, ALICE, initiation(30, 20, 2, 3, 10), 0);
        assertDropped(ErrorCode.MALFORMED_MESSAGE, initiation(30, 10, 1, 3, 9));
        assertEquals(0, reassembler.partialCount());
    }

    @Test
    void dropsThePartialMessageWhenFragmentsDisagreeOnLengthCountOrReceiver() {
        feed(reassembler, ALICE, initiation(30, 0, 0, 3, 10), 0);
        assertTrue(assertDropped(ErrorCode.MALFORMED_MESSAGE, initiation(31, 10, 1, 3, 10)).why().contains("length"));
        assertEquals(0, reassembler.partialCount());

        feed(reassembler, ALICE, initiation(30, 0, 0, 3, 10), 0);
        assertTrue(assertDropped(ErrorCode.MALFORMED_MESSAGE, initiation(30, 10, 1, 2, 20)).why().contains("count"));
        assertEquals(0, reassembler.partialCount());

        feed(reassembler, ALICE, fragment(MessageType.CONFIRM, 20, 7, 9, 0, 0, 2, 10), 0);
        assertTrue(assertDropped(ErrorCode.MALFORMED_MESSAGE, fragment(MessageType.CONFIRM, 20, 7, 8, 10, 1, 2, 10))
            .why().contains("receiver"));
        assertEquals(0, reassembler.partialCount());

        feed(reassembler, ALICE, initiation(30, 0, 0, 3, 10), 0);
        assertDropped(ErrorCode.MALFORMED_MESSAGE, initiation(10, 0, 0, 1, 10));
        assertEquals(0, reassembler.partialCount());
    }

    @Test
    void evictsTheOldestPartialOfASourceBeyondFour() {
        for (int sender = 1; sender <= 5; sender++) {
            feed(reassembler, source("192.0.2.1", 5000 + sender), start(sender), sender);
        }
        assertEquals(4, reassembler.partialCount());
        assertEquals(1, reassembler.evictions());
        assertInstanceOf(Complete.class, feed(reassembler, source("192.0.2.1", 5002), finish(2), 10));
        assertInstanceOf(Incomplete.class, feed(reassembler, source("192.0.2.1", 5001), finish(1), 10));
    }

    @Test
    void countsIpv6SourcesInTheSameSlash64AsOneSource() {
        for (int sender = 1; sender <= 5; sender++) {
            feed(reassembler, source("2001:db8:1:2::" + sender, 5000), start(sender), sender);
        }
        assertEquals(4, reassembler.partialCount());
        for (int sender = 1; sender <= 5; sender++) {
            feed(reassembler, source("2001:db8:1:" + (sender + 2) + "::1", 5000), start(sender), 10 + sender);
        }
        assertEquals(9, reassembler.partialCount());
        assertEquals(1, reassembler.evictions());
    }

    @Test
    void evictsTheOldestPartialBeyondTheTotalBound() {
        int sources = Protocol.MAX_PARTIAL_TOTAL / Protocol.MAX_PARTIAL_PER_SOURCE;
        for (int s = 0; s < sources; s++) {
            for (int sender = 1; sender <= Protocol.MAX_PARTIAL_PER_SOURCE; sender++) {
                feed(reassembler, Datagrams.ipv4(s), start(sender), 0);
            }
        }
        assertEquals(Protocol.MAX_PARTIAL_TOTAL, reassembler.partialCount());
        feed(reassembler, Datagrams.ipv4(sources), start(1), 1);
        assertEquals(Protocol.MAX_PARTIAL_TOTAL, reassembler.partialCount());
        assertEquals(1, reassembler.evictions());
        assertInstanceOf(Complete.class, feed(reassembler, Datagrams.ipv4(0), finish(2), 2));
        assertInstanceOf(Incomplete.class, feed(reassembler, Datagrams.ipv4(0), finish(1), 2));
    }

    @Test
    void evictsTheOldestPartialsBeyondTheByteBound() {
        int largest = Protocol.MAX_HANDSHAKE_MESSAGE;
        int fit = (int) (Protocol.MAX_PARTIAL_BYTES / largest);
        for (int s = 0; s < fit; s++) {
            feed(reassembler, Datagrams.ipv4(s), initiation(largest, 0, 0, 56, 1_184), 0);
        }
        assertEquals(fit, reassembler.partialCount());
        assertEquals((long) fit * largest, reassembler.partialBytes());
        feed(reassembler, Datagrams.ipv4(fit), initiation(largest, 0, 0, 56, 1_184), 1);
        assertEquals(fit, reassembler.partialCount());
        assertTrue(reassembler.partialBytes() <= Protocol.MAX_PARTIAL_BYTES);
        assertEquals(1, reassembler.evictions());
        assertInstanceOf(Incomplete.class, feed(reassembler, Datagrams.ipv4(0), initiation(largest, 1_184, 1, 56, 1_184), 2));
        assertEquals(2, reassembler.evictions());
    }

    @Test
    void forgetsAPartialMessageOlderThanTheTimeout() {
        feed(reassembler, ALICE, start(1), 100);
        reassembler.expire(100 + TIMEOUT);
        assertEquals(1, reassembler.partialCount());
        reassembler.expire(100 + TIMEOUT + 1);
        assertEquals(0, reassembler.partialCount());
        assertEquals(0, reassembler.partialBytes());
        assertEquals(1, reassembler.expirations());
    }

    @Test
    void aLateFragmentStartsAfreshInsteadOfCompletingAnExpiredMessage() {
        feed(reassembler, ALICE, start(1), 0);
        feed(reassembler, ALICE, start(2), TIMEOUT);
        assertInstanceOf(Incomplete.class, feed(reassembler, ALICE, finish(1), TIMEOUT + 1));
        assertInstanceOf(Complete.class, feed(reassembler, ALICE, finish(2), TIMEOUT + 1));
        assertEquals(1, reassembler.partialCount());
    }

    @Test
    void isUnderPressureAboveAQuarterOfTheCountOrByteBound() {
        int quarter = Protocol.MAX_PARTIAL_TOTAL / 4;
        for (int s = 0; s < quarter; s++) {
            feed(reassembler, Datagrams.ipv4(s), start(1), 0);
        }
        assertFalse(reassembler.isUnderPressure());
        feed(reassembler, Datagrams.ipv4(quarter), start(1), 0);
        assertTrue(reassembler.isUnderPressure());

        Reassembler bytes = new Reassembler();
        int largest = Protocol.MAX_HANDSHAKE_MESSAGE;
        for (int s = 0; s < 64; s++) {
            feed(bytes, Datagrams.ipv4(s), initiation(largest, 0, 0, 56, 1_184), 0);
        }
        assertFalse(bytes.isUnderPressure());
        feed(bytes, Datagrams.ipv4(64), initiation(largest, 0, 0, 56, 1_184), 0);
        assertTrue(bytes.isUnderPressure());
    }

    @Test
    void underLoadOnlyFragmentZeroStartsAMessage() {
        reassembler.acceptNewOnlyFromFragmentZero(true);
        assertTrue(reassembler.isAcceptingNewOnlyFromFragmentZero());
        assertDropped(ErrorCode.COOKIE_REQUIRED, finish(1));
        assertEquals(0, reassembler.partialCount());
        assertInstanceOf(Incomplete.class, feed(reassembler, ALICE, start(1), 0));
        assertInstanceOf(Complete.class, feed(reassembler, ALICE, finish(1), 0));
        assertInstanceOf(Complete.class, feed(reassembler, ALICE, initiation(5, 0, 0, 1, 5), 0));
        reassembler.acceptNewOnlyFromFragmentZero(false);
        assertInstanceOf(Incomplete.class, feed(reassembler, ALICE, finish(1), 0));
    }

    @Test
    void rejectsCallerBugsWithIllegalArgument() {
        byte[] datagram = start(1);
        MemorySegment segment = MemorySegment.ofArray(datagram);
        assertThrows(IllegalArgumentException.class, () -> reassembler.accept(ALICE, segment, datagram.length + 1, 0));
        assertThrows(IllegalArgumentException.class, () -> reassembler.accept(ALICE, segment, -1, 0));
        assertThrows(IllegalArgumentException.class,
            () -> reassembler.accept(InetSocketAddress.createUnresolved("gateway.example", 1), segment, datagram.length, 0));
    }

    /** Fragment 0 of a 20-byte INITIATION from {@code sender} in two fragments. */
    private static byte[] start(int sender) {
        return fragment(MessageType.INITIATION, 20, sender, 0, 0, 0, 2, 10);
    }

    /** Fragment 1 of the message {@link #start} begins. */
    private static byte[] finish(int sender) {
        return fragment(MessageType.INITIATION, 20, sender, 0, 10, 1, 2, 10);
    }

    private Dropped assertDropped(ErrorCode reason, byte[] datagram) {
        Result result = feed(reassembler, ALICE, datagram, 0);
        Dropped dropped = assertInstanceOf(Dropped.class, result);
        assertEquals(reason, dropped.reason(), dropped.why());
        return dropped;
    }
}
