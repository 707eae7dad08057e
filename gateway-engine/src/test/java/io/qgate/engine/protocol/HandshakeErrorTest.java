package io.qgate.engine.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class HandshakeErrorTest {
    @Test
    void encodesTheLayoutOfSectionTen() {
        byte[] datagram = new HandshakeError(ErrorCode.INITIATION_TOO_SHORT, 0x0A0B0C0D, new byte[] {0, 0, 4, (byte) 0xB0})
            .encode();
        assertArrayEquals(new byte[] {6, 1, 0, 6, 0x0A, 0x0B, 0x0C, 0x0D, 4, 0, 0, 4, (byte) 0xB0}, datagram);
    }

    @Property(tries = 300)
    void parsesWhatItEncodes(@ForAll ErrorCode code, @ForAll int receiverIndex, @ForAll @Size(max = 64) byte[] detail)
            throws ProtocolException {
        HandshakeError error = new HandshakeError(code, receiverIndex, detail);
        byte[] datagram = error.encode();
        assertEquals(9 + detail.length, datagram.length);
        HandshakeError parsed = parse(datagram);
        assertEquals(error, parsed);
        assertArrayEquals(detail, parsed.detail());
    }

    @Test
    void rejectsCodesProtocolVersionOneDoesNotDefine() {
        for (int code : new int[] {0, 26, 31, 32, 255, 65_535}) {
            byte[] datagram = new HandshakeError(ErrorCode.RATE_LIMITED, 1, new byte[0]).encode();
            datagram[2] = (byte) (code >>> 8);
            datagram[3] = (byte) code;
            ProtocolException e = assertMalformed(datagram);
            assertTrue(e.getMessage().contains("error code " + code), e.getMessage());
        }
    }

    @Test
    void rejectsTruncatedTrailingAndOversizedDetails() {
        byte[] good = new HandshakeError(ErrorCode.UNSUPPORTED_SUITE, 1, new byte[] {2}).encode();
        assertMalformed(Arrays.copyOf(good, 1));
        assertMalformed(Arrays.copyOf(good, 8));
        assertMalformed(Arrays.copyOf(good, 9));
        assertMalformed(Arrays.copyOf(good, 11));
        byte[] oversized = new byte[9 + 65];
        System.arraycopy(good, 0, oversized, 0, 8);
        oversized[8] = 65;
        assertMalformed(oversized);
        byte[] wrongType = good.clone();
        wrongType[0] = 5;
        assertMalformed(wrongType);
    }

    @Test
    void rejectsAnotherVersionAsUnsupported() {
        byte[] datagram = new HandshakeError(ErrorCode.UNSUPPORTED_VERSION, 0, new byte[] {1}).encode();
        datagram[1] = 2;
        assertEquals(ErrorCode.UNSUPPORTED_VERSION, assertThrows(ProtocolException.class, () -> parse(datagram)).error());
    }

    @Test
    void refusesToBuildADetailLongerThanSixtyFourBytes() {
        assertEquals(64, new HandshakeError(ErrorCode.MALFORMED_MESSAGE, 1, new byte[64]).detail().length);
        assertThrows(IllegalArgumentException.class, () -> new HandshakeError(ErrorCode.MALFORMED_MESSAGE, 1, new byte[65]));
    }

    @Property(tries = 500)
    void randomBytesParseOrFailWithAProtocolException(@ForAll @Size(max = 80) byte[] datagram,
            @ForAll @IntRange(min = 0, max = 70) int detailLength) {
        if (datagram.length >= 9) {
            datagram[0] = 6;
            datagram[1] = 1;
            datagram[8] = (byte) detailLength;
        }
        try {
            assertArrayEquals(datagram, parse(datagram).encode());
        } catch (ProtocolException e) {
            assertTrue(e.error() == ErrorCode.MALFORMED_MESSAGE || e.error() == ErrorCode.UNSUPPORTED_VERSION);
        }
    }

    private static HandshakeError parse(byte[] datagram) throws ProtocolException {
        return HandshakeError.parse(MemorySegment.ofArray(datagram), datagram.length);
    }

    private static ProtocolException assertMalformed(byte[] datagram) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> parse(datagram));
        assertEquals(ErrorCode.MALFORMED_MESSAGE, e.error(), e.getMessage());
        return e;
    }
}
