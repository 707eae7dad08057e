package io.qgate.engine.protocol;

import static io.qgate.engine.fuzz.ParserContract.parsedOrRefused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.qgate.engine.fuzz.Seeds;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzz targets for the unauthenticated control datagrams: {@code COOKIE_REPLY} (section 7 of
 * {@code docs/PROTOCOL.md}) and {@code HANDSHAKE_ERROR} (section 10). Each input is parsed as the
 * first {@code length} bytes of a longer segment, so reading past {@code length} would show; a
 * parsed datagram encodes back to exactly the input.
 */
class ControlDatagramFuzzTest {
    private static final int SLACK = 5;

    @MethodSource("cookieReplies")
    @FuzzTest
    void cookieReply(byte[] datagram) throws ProtocolException {
        CookieReply parsed = parsedOrRefused(() -> CookieReply.parse(inLongerSegment(datagram), datagram.length),
            ErrorCode.MALFORMED_MESSAGE, ErrorCode.UNSUPPORTED_VERSION);
        if (parsed != null) {
            byte[] encoded = CookieReply.encode(parsed.receiverIndex(), parsed.cookie());
            assertArrayEquals(datagram, encoded);
            assertEquals(parsed, CookieReply.parse(MemorySegment.ofArray(encoded), encoded.length));
        }
    }

    @MethodSource("handshakeErrors")
    @FuzzTest
    void handshakeError(byte[] datagram) throws ProtocolException {
        HandshakeError parsed = parsedOrRefused(() -> HandshakeError.parse(inLongerSegment(datagram), datagram.length),
            ErrorCode.MALFORMED_MESSAGE, ErrorCode.UNSUPPORTED_VERSION);
        if (parsed != null) {
            byte[] encoded = parsed.encode();
            assertArrayEquals(datagram, encoded);
            assertEquals(parsed, HandshakeError.parse(MemorySegment.ofArray(encoded), encoded.length));
        }
    }

    @Test
    void everySeedIsAValidDatagram() throws ProtocolException {
        for (byte[] seed : Seeds.inputs(cookieReplies())) {
            CookieReply.parse(MemorySegment.ofArray(seed), seed.length);
        }
        for (byte[] seed : Seeds.inputs(handshakeErrors())) {
            HandshakeError.parse(MemorySegment.ofArray(seed), seed.length);
        }
    }

    private static MemorySegment inLongerSegment(byte[] datagram) {
        byte[] longer = Arrays.copyOf(datagram, datagram.length + SLACK);
        Arrays.fill(longer, datagram.length, longer.length, (byte) 0xA5);
        return MemorySegment.ofArray(longer);
    }

    static Stream<Arguments> cookieReplies() {
        SplittableRandom random = new SplittableRandom(8);
        return Stream.of(
            Seeds.named("a cookie reply", CookieReply.encode(0x0102_0304, Seeds.bytes(random, Protocol.COOKIE_LENGTH))),
            Seeds.named("a cookie reply to the highest index", CookieReply.encode(-1, new byte[Protocol.COOKIE_LENGTH])));
    }

    static Stream<Arguments> handshakeErrors() {
        return Stream.of(
            Seeds.named("an error without detail", new HandshakeError(ErrorCode.BAD_SIGNATURE, 7, new byte[0]).encode()),
            Seeds.named("an unsupported suite naming one",
                new HandshakeError(ErrorCode.UNSUPPORTED_SUITE, 0x7FFF_FFFF, new byte[] {1}).encode()),
            Seeds.named("an initiation too short by 1200 bytes",
                new HandshakeError(ErrorCode.INITIATION_TOO_SHORT, -5, new byte[] {0, 0, 4, (byte) 0xB0}).encode()),
            Seeds.named("the longest detail",
                new HandshakeError(ErrorCode.RATE_LIMITED, 1, new byte[Protocol.MAX_ERROR_DETAIL]).encode()));
    }
}
