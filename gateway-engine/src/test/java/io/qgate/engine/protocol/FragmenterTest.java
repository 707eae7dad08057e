package io.qgate.engine.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class FragmenterTest {
    @Test
    void splitsIntoFullFragmentsAndAShorterLastWithConsistentHeaders() {
        HandshakeMessage message = Datagrams.message(MessageType.RESPONSE, 2_500, new Random(1));
        List<byte[]> fragments = Fragmenter.fragment(message, 1_200);
        assertEquals(3, fragments.size());
        assertEquals(List.of(1_200, 1_200, 16 + 132), fragments.stream().map(f -> f.length).toList());
        FragmentHeader header = new FragmentHeader();
        byte[] body = message.body();
        for (int i = 0; i < 3; i++) {
            byte[] fragment = fragments.get(i);
            header.wrap(MemorySegment.ofArray(fragment));
            assertEquals(MessageType.RESPONSE.code(), header.type());
            assertEquals(Protocol.VERSION, header.version());
            assertEquals(2_500, header.messageLength());
            assertEquals(message.senderIndex(), header.senderIndex());
            assertEquals(message.receiverIndex(), header.receiverIndex());
            assertEquals(i * 1_184, header.fragmentOffset());
            assertEquals(i, header.fragmentIndex());
            assertEquals(3, header.fragmentCount());
            assertArrayEquals(Arrays.copyOfRange(body, i * 1_184, Math.min(2_500, (i + 1) * 1_184)),
                Arrays.copyOfRange(fragment, 16, fragment.length));
        }
        assertEquals(2_500 + 3 * 16, Fragmenter.datagramBytes(2_500, 1_200));
    }

    @Test
    void theLargestMessageFitsInFullSizeDatagrams() {
        assertEquals(56, Fragmenter.fragmentCount(65_535, 1_200));
        assertEquals(65_535 + 56 * 16, Fragmenter.datagramBytes(65_535, 1_200));
    }

    @Test
    void rejectsDatagramLimitsOutsideItsRange() {
        HandshakeMessage message = Datagrams.message(MessageType.INITIATION, 100, new Random(2));
        assertThrows(IllegalArgumentException.class, () -> Fragmenter.fragment(message, 79));
        assertThrows(IllegalArgumentException.class, () -> Fragmenter.fragment(message, 1_201));
        assertThrows(IllegalArgumentException.class, () -> Fragmenter.datagramBytes(100, 79));
        assertEquals(2, Fragmenter.fragment(message, 80).size());
        assertEquals(1, Fragmenter.fragment(message, 1_200).size());
    }

    @Test
    void rejectsAMessageThatNeedsMoreThanSixtyFourFragments() {
        assertEquals(64, Fragmenter.fragmentCount(64 * 64, 80));
        HandshakeMessage tooLong = Datagrams.message(MessageType.INITIATION, 64 * 64 + 1, new Random(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fragmenter.fragment(tooLong, 80));
        assertTrue(e.getMessage().contains("65 fragments"), e.getMessage());
    }

    @Test
    void rejectsBodyLengthsOutsideTheMessageRange() {
        assertThrows(IllegalArgumentException.class, () -> Fragmenter.datagramBytes(0, 1_200));
        assertThrows(IllegalArgumentException.class, () -> Fragmenter.datagramBytes(65_536, 1_200));
    }

    @Property(tries = 300)
    void everyFragmentButTheLastIsFullAndTheBytesAddUp(@ForAll @IntRange(min = 80, max = 1_200) int maxDatagram,
            @ForAll @IntRange(min = 1, max = 65_535) int bodyLength) {
        int payload = maxDatagram - 16;
        if ((bodyLength + payload - 1) / payload > Protocol.MAX_FRAGMENTS) {
            assertThrows(IllegalArgumentException.class, () -> Fragmenter.datagramBytes(bodyLength, maxDatagram));
            return;
        }
        List<byte[]> fragments = Fragmenter.fragment(
            new HandshakeMessage(MessageType.CONFIRM, 1, 2, new byte[bodyLength]), maxDatagram);
        int total = 0;
        for (int i = 0; i < fragments.size(); i++) {
            int length = fragments.get(i).length;
            assertTrue(i == fragments.size() - 1 ? length <= maxDatagram && length > 16 : length == maxDatagram);
            total += length;
        }
        assertEquals(Fragmenter.datagramBytes(bodyLength, maxDatagram), total);
        assertEquals(Fragmenter.fragmentCount(bodyLength, maxDatagram), fragments.size());
    }
}
