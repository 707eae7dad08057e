package io.qgate.engine.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class CookieReplyTest {
    private static final byte[] COOKIE = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

    @Test
    void encodesTheTwentyFourByteLayoutOfSectionSeven() {
        assertArrayEquals(new byte[] {5, 1, 0, 0, (byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF,
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, CookieReply.encode(0xDEADBEEF, COOKIE));
    }

    @Test
    void parsesWhatItEncodes() throws ProtocolException {
        byte[] datagram = CookieReply.encode(-2, COOKIE);
        CookieReply reply = CookieReply.parse(MemorySegment.ofArray(datagram), datagram.length);
        assertEquals(new CookieReply(-2, COOKIE), reply);
        assertArrayEquals(COOKIE, reply.cookie());
        assertFalse(reply.toString().contains("1, 2"));
    }

    @Test
    void parsesOnlyTheGivenLengthOfALargerBuffer() throws ProtocolException {
        byte[] buffer = Arrays.copyOf(CookieReply.encode(9, COOKIE), 2_048);
        assertEquals(9, CookieReply.parse(MemorySegment.ofArray(buffer), CookieReply.LENGTH).receiverIndex());
    }

    @Test
    void rejectsShortLongAndForeignDatagrams() {
        byte[] good = CookieReply.encode(9, COOKIE);
        assertMalformed(Arrays.copyOf(good, 0));
        assertMalformed(Arrays.copyOf(good, 1));
        assertMalformed(Arrays.copyOf(good, 23));
        assertMalformed(Arrays.copyOf(good, 25));
        assertMalformed(with(good, 0, 6));
        assertMalformed(with(good, 2, 1));
        assertMalformed(with(good, 3, 1));
        assertMalformed(zeroIndex(good));
        ProtocolException e = assertThrows(ProtocolException.class, () -> parse(with(good, 1, 2)));
        assertEquals(ErrorCode.UNSUPPORTED_VERSION, e.error());
    }

    @Test
    void refusesToEncodeABadCookieOrIndex() {
        assertThrows(IllegalArgumentException.class, () -> CookieReply.encode(9, new byte[15]));
        assertThrows(IllegalArgumentException.class, () -> CookieReply.encode(9, new byte[17]));
        assertThrows(IllegalArgumentException.class, () -> CookieReply.encode(0, COOKIE));
    }

    @Test
    void refusesALengthBeyondTheSegment() {
        assertThrows(IllegalArgumentException.class, () -> CookieReply.parse(MemorySegment.ofArray(new byte[10]), 24));
    }

    @Property(tries = 500)
    void randomBytesParseOrFailWithAProtocolException(@ForAll @Size(max = 40) byte[] datagram) {
        if (datagram.length >= 2) {
            datagram[0] = 5;
            datagram[1] = 1;
        }
        try {
            CookieReply reply = parse(datagram);
            assertArrayEquals(CookieReply.encode(reply.receiverIndex(), reply.cookie()), datagram);
        } catch (ProtocolException e) {
            assertEquals(ErrorCode.MALFORMED_MESSAGE, e.error());
        }
    }

    private static byte[] zeroIndex(byte[] datagram) {
        byte[] copy = datagram.clone();
        Arrays.fill(copy, 4, 8, (byte) 0);
        return copy;
    }

    private static byte[] with(byte[] datagram, int offset, int value) {
        byte[] copy = datagram.clone();
        copy[offset] = (byte) value;
        return copy;
    }

    private static CookieReply parse(byte[] datagram) throws ProtocolException {
        return CookieReply.parse(MemorySegment.ofArray(datagram), datagram.length);
    }

    private static void assertMalformed(byte[] datagram) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> parse(datagram));
        assertEquals(ErrorCode.MALFORMED_MESSAGE, e.error(), e.getMessage());
    }
}
