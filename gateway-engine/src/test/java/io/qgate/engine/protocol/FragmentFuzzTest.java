package io.qgate.engine.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.qgate.engine.fuzz.DatagramSequence;
import io.qgate.engine.fuzz.Seeds;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzz targets for the handshake fragment datagram (section 5.1 of {@code docs/PROTOCOL.md}): the
 * {@link FragmentHeader} flyweight, and {@link Reassembler#accept} fed whole sequences of
 * fragments from several sources over time.
 */
class FragmentFuzzTest {
    private static final InetSocketAddress[] SOURCES = {
        new InetSocketAddress("192.0.2.1", 1000),
        new InetSocketAddress("192.0.2.1", 2000),
        new InetSocketAddress("198.51.100.9", 1000),
        new InetSocketAddress("2001:db8::1", 1000),
    };
    /** Clock steps a record's selector picks, up to one beyond the reassembly timeout. */
    private static final long[] STEPS = {0, 1_000_000L, 1_000_000_000L, Protocol.REASSEMBLY_TIMEOUT + 1};
    private static final Set<ErrorCode> DROP_REASONS = Set.of(ErrorCode.MALFORMED_MESSAGE,
        ErrorCode.UNKNOWN_MESSAGE_TYPE, ErrorCode.UNSUPPORTED_VERSION, ErrorCode.COOKIE_REQUIRED);
    /** Bytes after the datagram in its segment: the parsers must read only the first {@code length}. */
    private static final int SLACK = 7;

    /** Every header field written back through the setters gives the same 16 bytes. */
    @MethodSource("fragments")
    @FuzzTest
    void fragmentHeader(byte[] input) {
        if (input.length < FragmentHeader.LENGTH) {
            return; // the flyweight's caller checks the length; the reassembler target covers that
        }
        FragmentHeader read = new FragmentHeader().wrap(MemorySegment.ofArray(input));
        byte[] copy = new byte[FragmentHeader.LENGTH];
        new FragmentHeader().wrap(MemorySegment.ofArray(copy))
            .type(read.type()).version(read.version()).messageLength(read.messageLength())
            .senderIndex(read.senderIndex()).receiverIndex(read.receiverIndex())
            .fragmentOffset(read.fragmentOffset()).fragmentIndex(read.fragmentIndex())
            .fragmentCount(read.fragmentCount());
        assertArrayEquals(Arrays.copyOf(input, FragmentHeader.LENGTH), copy);
        assertTrue(read.messageLength() <= 0xFFFF && read.fragmentOffset() <= 0xFFFF);
        assertTrue(read.type() <= 0xFF && read.fragmentIndex() <= 0xFF && read.fragmentCount() <= 0xFF);
    }

    /**
     * A sequence of datagrams ({@link DatagramSequence}; selector bits 0-1 the source, 2-3 the
     * clock step, 4 whether only fragment 0 may start a message). Nothing escapes
     * {@link Reassembler#accept}; drops carry a documented reason; the bounds hold; a completed
     * message has the completing fragment's header and every byte of its body arrived at that
     * offset in some fragment of the same source, type and sender.
     */
    @MethodSource("fragmentSequences")
    @FuzzTest
    void reassembler(byte[] input) {
        Reassembler reassembler = new Reassembler();
        Map<String, List<Fed>> fed = new HashMap<>();
        long now = 1_000_000_000L;
        for (DatagramSequence.Entry entry : DatagramSequence.split(input)) {
            InetSocketAddress source = SOURCES[entry.selector() & 3];
            now += STEPS[entry.selector() >>> 2 & 3];
            reassembler.acceptNewOnlyFromFragmentZero((entry.selector() & 16) != 0);
            byte[] datagram = entry.datagram();
            MemorySegment segment = MemorySegment.ofArray(Arrays.copyOf(datagram, datagram.length + SLACK));
            String key = null;
            if (datagram.length >= FragmentHeader.LENGTH) {
                FragmentHeader header = new FragmentHeader().wrap(segment);
                key = source + "/" + header.type() + "/" + header.senderIndex();
                fed.computeIfAbsent(key, k -> new ArrayList<>()).add(new Fed(header.fragmentOffset(),
                    Arrays.copyOfRange(datagram, FragmentHeader.LENGTH, datagram.length)));
            }
            Reassembler.Result result = reassembler.accept(source, segment, datagram.length, now);
            assertNotNull(result);
            if (result instanceof Reassembler.Dropped dropped) {
                assertTrue(DROP_REASONS.contains(dropped.reason()), "undocumented drop reason " + dropped.reason());
                assertFalse(dropped.why().isBlank());
            } else if (result instanceof Reassembler.Complete complete) {
                checkComplete(complete, datagram, fed.get(key));
            }
            assertTrue(reassembler.partialCount() <= Protocol.MAX_PARTIAL_TOTAL);
            assertTrue(reassembler.partialBytes() >= 0 && reassembler.partialBytes() <= Protocol.MAX_PARTIAL_BYTES);
        }
    }

    @Test
    void everySeedSequenceCompletesAMessage() {
        for (byte[] seed : Seeds.inputs(fragmentSequences())) {
            Reassembler reassembler = new Reassembler();
            long completed = DatagramSequence.split(seed).stream()
                .map(entry -> reassembler.accept(SOURCES[entry.selector() & 3], MemorySegment.ofArray(entry.datagram()),
                    entry.datagram().length, 1_000_000_000L))
                .filter(Reassembler.Complete.class::isInstance).count();
            assertTrue(completed > 0, "a seed sequence completes no message");
        }
    }

    /** A fragment payload fed for some key, at its declared offset. */
    private record Fed(int offset, byte[] payload) {
    }

    private static void checkComplete(Reassembler.Complete complete, byte[] datagram, List<Fed> fed) {
        FragmentHeader header = new FragmentHeader().wrap(MemorySegment.ofArray(datagram));
        HandshakeMessage message = complete.message();
        assertEquals(header.type(), message.type().code());
        assertEquals(header.senderIndex(), message.senderIndex());
        assertEquals(header.messageLength(), message.bodyLength());
        assertTrue(complete.datagramBytes() >= datagram.length);
        byte[] body = message.body();
        int offset = header.fragmentOffset();
        assertArrayEquals(Arrays.copyOfRange(datagram, FragmentHeader.LENGTH, datagram.length),
            Arrays.copyOfRange(body, offset, offset + datagram.length - FragmentHeader.LENGTH));
        for (int i = 0; i < body.length; i++) {
            assertTrue(arrived(body[i], i, fed), "body byte " + i + " came from no fragment");
        }
    }

    private static boolean arrived(byte value, int position, List<Fed> fed) {
        for (Fed fragment : fed) {
            int at = position - fragment.offset();
            if (at >= 0 && at < fragment.payload().length && fragment.payload()[at] == value) {
                return true;
            }
        }
        return false;
    }

    /** Single fragment datagrams of each handshake type. */
    static Stream<Arguments> fragments() {
        SplittableRandom random = new SplittableRandom(6);
        return Stream.of(
            Seeds.named("the first of two initiation fragments",
                Fragmenter.fragment(message(MessageType.INITIATION, 0, 1300, random), 1200).get(0)),
            Seeds.named("the last of two response fragments",
                Fragmenter.fragment(message(MessageType.RESPONSE, 77, 1300, random), 1200).get(1)),
            Seeds.named("a whole confirm", Fragmenter.fragment(message(MessageType.CONFIRM, 77, 40, random), 1200).get(0)));
    }

    /** Valid fragment sequences: in order, shuffled, duplicated, interleaved, from several sources. */
    static Stream<Arguments> fragmentSequences() {
        SplittableRandom random = new SplittableRandom(7);
        List<byte[]> initiation = Fragmenter.fragment(message(MessageType.INITIATION, 0, 1300, random), 1200);
        List<byte[]> response = new ArrayList<>(Fragmenter.fragment(message(MessageType.RESPONSE, 77, 5000, random), 1200));
        List<byte[]> confirm = Fragmenter.fragment(message(MessageType.CONFIRM, 77, 100, random), 1200);
        List<byte[]> small = Fragmenter.fragment(message(MessageType.INITIATION, 0, 500, random), Fragmenter.MIN_DATAGRAM);
        List<byte[]> shuffled = new ArrayList<>(response);
        shuffled.add(response.get(2));
        Collections.reverse(shuffled);
        List<DatagramSequence.Entry> interleaved = new ArrayList<>();
        for (int i = 0; i < small.size(); i++) {
            interleaved.add(new DatagramSequence.Entry(0, small.get(i)));
            interleaved.add(new DatagramSequence.Entry(3, small.get(small.size() - 1 - i)));
        }
        return Stream.of(
            Seeds.named("an initiation in two fragments", DatagramSequence.join(0, initiation)),
            Seeds.named("a response in five fragments", DatagramSequence.join(2, response)),
            Seeds.named("a response reversed with a duplicate", DatagramSequence.join(16, shuffled)),
            Seeds.named("a confirm in one fragment", DatagramSequence.join(1, confirm)),
            Seeds.named("two small initiations interleaved", DatagramSequence.join(interleaved)));
    }

    private static HandshakeMessage message(MessageType type, int receiverIndex, int length, SplittableRandom random) {
        return new HandshakeMessage(type, 0x1234_5678 + length, receiverIndex, Seeds.bytes(random, length));
    }
}
