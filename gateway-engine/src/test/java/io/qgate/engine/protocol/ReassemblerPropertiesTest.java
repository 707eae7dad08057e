package io.qgate.engine.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.engine.protocol.Reassembler.Complete;
import io.qgate.engine.protocol.Reassembler.Result;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ReassemblerPropertiesTest {
    private static final InetSocketAddress SOURCE = Datagrams.source("2001:db8::7", 51_820);

    /** A datagram limit and a body length that fits in at most 64 fragments of it. */
    record Shape(int maxDatagram, int bodyLength) {
    }

    @Provide
    Arbitrary<Shape> anyShape() {
        return shapes(Protocol.MAX_HANDSHAKE_MESSAGE);
    }

    @Provide
    Arbitrary<Shape> smallShape() {
        return shapes(4_000);
    }

    @Provide
    Arbitrary<MessageType> handshakeType() {
        return Arbitraries.of(MessageType.INITIATION, MessageType.RESPONSE, MessageType.CONFIRM);
    }

    @Property(tries = 200)
    void reassemblesAnyPermutationWithDuplicatesIntoTheSameMessageAndByteCount(@ForAll("anyShape") Shape shape,
            @ForAll("handshakeType") MessageType type, @ForAll Random random) {
        HandshakeMessage message = Datagrams.message(type, shape.bodyLength(), random);
        List<byte[]> fragments = Fragmenter.fragment(message, shape.maxDatagram());
        List<byte[]> schedule = withDuplicates(fragments, random);
        Reassembler reassembler = new Reassembler();
        boolean[] seen = new boolean[fragments.size()];
        int distinct = 0;
        long sent = 0;
        for (byte[] datagram : schedule) {
            int index = fragments.indexOf(datagram);
            distinct += seen[index] ? 0 : 1;
            seen[index] = true;
            sent += datagram.length;
            Result result = Datagrams.feed(reassembler, SOURCE, datagram, 0);
            if (distinct < fragments.size()) {
                assertInstanceOf(Reassembler.Incomplete.class, result);
                continue;
            }
            Complete complete = assertInstanceOf(Complete.class, result);
            assertEquals(message, complete.message());
            assertEquals(sent, complete.datagramBytes());
            assertEquals(0, reassembler.partialCount());
            assertEquals(0, reassembler.partialBytes());
            return;
        }
        throw new AssertionError("every fragment was delivered but the message never completed");
    }

    @Property(tries = 500)
    void aSingleCorruptedHeaderFieldNeverYieldsAWrongMessage(@ForAll("smallShape") Shape shape,
            @ForAll("handshakeType") MessageType type, @ForAll @IntRange(min = 0, max = 7) int field,
            @ForAll Random random) {
        HandshakeMessage message = Datagrams.message(type, shape.bodyLength(), random);
        List<byte[]> fragments = new ArrayList<>(Fragmenter.fragment(message, shape.maxDatagram()));
        int victim = random.nextInt(fragments.size());
        byte[] corrupted = fragments.get(victim).clone();
        FragmentHeader header = new FragmentHeader().wrap(MemorySegment.ofArray(corrupted));
        corrupt(header, field, random);
        fragments.set(victim, corrupted);

        HandshakeMessage rekeyed = fragments.size() == 1 ? rekeyed(message, header, field) : null;
        Reassembler reassembler = new Reassembler();
        for (byte[] datagram : withDuplicates(fragments, random)) {
            Result result = Datagrams.feed(reassembler, SOURCE, datagram, 0);
            if (result instanceof Complete complete) {
                assertNotNull(rekeyed, "a corrupted " + fieldName(field) + " completed " + complete.message());
                assertEquals(rekeyed, complete.message());
            }
        }
    }

    @Property(tries = 100)
    void randomDatagramsNeverThrowAndNeverBreakTheBounds(@ForAll @Size(max = 300) List<@Size(max = 1_300) byte[]> datagrams) {
        Reassembler reassembler = new Reassembler();
        long now = 0;
        for (byte[] datagram : datagrams) {
            assertNotNull(Datagrams.feed(reassembler, Datagrams.ipv4(datagram.length % 5), datagram, now += 1_000_000));
            assertBounded(reassembler);
        }
    }

    @Property(tries = 100)
    void plausibleFragmentsNeverThrowAndCompleteOnlyWhatTheyDeclare(@ForAll Random random) {
        Reassembler reassembler = new Reassembler();
        for (int i = 0; i < 400; i++) {
            int count = 1 + random.nextInt(4);
            int messageLength = 1 + random.nextInt(60);
            byte[] datagram = Datagrams.fragment(MessageType.fromCode(1 + random.nextInt(3)), messageLength,
                1 + random.nextInt(3), random.nextInt(2), random.nextInt(messageLength + 2), random.nextInt(count + 1),
                count, 1 + random.nextInt(messageLength + 1));
            Result result = Datagrams.feed(reassembler, Datagrams.ipv4(random.nextInt(3)), datagram, i * 50_000_000L);
            if (result instanceof Complete complete) {
                assertEquals(messageLength, complete.message().bodyLength());
            }
            assertBounded(reassembler);
        }
    }

    @Property(tries = 50)
    void corruptionAlwaysChangesTheChosenField(@ForAll @IntRange(min = 0, max = 7) int field, @ForAll Random random) {
        byte[] bytes = Datagrams.initiation(100, 0, 0, 1, 100);
        byte[] before = bytes.clone();
        corrupt(new FragmentHeader().wrap(MemorySegment.ofArray(bytes)), field, random);
        assertFalse(Arrays.equals(before, bytes), fieldName(field) + " unchanged");
    }

    private static void assertBounded(Reassembler reassembler) {
        assertTrue(reassembler.partialCount() <= Protocol.MAX_PARTIAL_TOTAL);
        assertTrue(reassembler.partialBytes() <= Protocol.MAX_PARTIAL_BYTES);
        assertTrue(reassembler.partialBytes() >= reassembler.partialCount());
    }

    private static Arbitrary<Shape> shapes(int longestBody) {
        return Arbitraries.integers().between(Fragmenter.MIN_DATAGRAM, Protocol.MAX_HANDSHAKE_DATAGRAM).flatMap(max -> {
            int longest = Math.min(longestBody, Protocol.MAX_FRAGMENTS * (max - FragmentHeader.LENGTH));
            return Combinators.combine(Arbitraries.just(max), Arbitraries.integers().between(1, longest)).as(Shape::new);
        });
    }

    /** Every fragment once, and each possibly again up to twice, in a random order. */
    private static List<byte[]> withDuplicates(List<byte[]> fragments, Random random) {
        List<byte[]> schedule = new ArrayList<>(fragments);
        for (byte[] fragment : fragments) {
            for (int copies = random.nextInt(3); copies > 0; copies--) {
                schedule.add(fragment);
            }
        }
        Collections.shuffle(schedule, random);
        return schedule;
    }

    /** Sets header field {@code field} (0 type .. 7 count) to a random value it does not hold. */
    private static void corrupt(FragmentHeader header, int field, Random random) {
        switch (field) {
            case 0 -> header.type(other(header.type(), 0xFF, random));
            case 1 -> header.version(other(header.version(), 0xFF, random));
            case 2 -> header.messageLength(other(header.messageLength(), 0xFFFF, random));
            case 3 -> header.senderIndex(header.senderIndex() ^ (random.nextInt() | 1 << random.nextInt(32)));
            case 4 -> header.receiverIndex(header.receiverIndex() ^ (random.nextInt() | 1 << random.nextInt(32)));
            case 5 -> header.fragmentOffset(other(header.fragmentOffset(), 0xFFFF, random));
            case 6 -> header.fragmentIndex(other(header.fragmentIndex(), 0xFF, random));
            default -> header.fragmentCount(other(header.fragmentCount(), 0xFF, random));
        }
    }

    /** A value in {@code 0..mask} other than {@code value}, often a near one. */
    private static int other(int value, int mask, Random random) {
        int delta = random.nextBoolean() ? 1 + random.nextInt(3) : 1 + random.nextInt(mask);
        return (value + (random.nextBoolean() ? delta : -delta)) & mask;
    }

    /**
     * The message a lone fragment whose type or indexes were changed legitimately describes (the
     * header is unauthenticated; the transcript catches it later), or null if it describes none.
     */
    private static HandshakeMessage rekeyed(HandshakeMessage original, FragmentHeader header, int field) {
        if (field != 0 && field != 3 && field != 4) {
            return null;
        }
        MessageType type = MessageType.fromCode(header.type());
        if (type == null || HandshakeMessage.headerProblem(type, original.bodyLength(), header.senderIndex(),
                header.receiverIndex()) != null) {
            return null;
        }
        return new HandshakeMessage(type, header.senderIndex(), header.receiverIndex(), original.body());
    }

    private static String fieldName(int field) {
        return List.of("type", "version", "message_length", "sender_index", "receiver_index", "fragment_offset",
            "fragment_index", "fragment_count").get(field);
    }
}
