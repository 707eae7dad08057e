package io.qgate.engine.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;

/**
 * The refusals every handshake codec property checks: an encoding cut short or with bytes
 * appended is malformed, because every length is explicit and trailing bytes are refused. That
 * any other input parses or is refused with a documented code is
 * {@link io.qgate.engine.fuzz.ParserContract}'s check.
 */
final class CodecProperties {
    /** A codec's parser. */
    @FunctionalInterface
    interface Parser {
        Object parse(byte[] encoding) throws ProtocolException;
    }

    private CodecProperties() {
    }

    /** {@code encoding} cut to {@code cut % encoding.length} bytes is refused as malformed. */
    static void assertTruncationRefused(Parser parser, byte[] encoding, int cut) {
        byte[] truncated = Arrays.copyOf(encoding, Math.floorMod(cut, encoding.length));
        ProtocolException refused = assertThrows(ProtocolException.class, () -> parser.parse(truncated),
            "a " + encoding.length + "-byte encoding cut to " + truncated.length + " bytes was accepted");
        assertEquals(ErrorCode.MALFORMED_MESSAGE, refused.error());
    }

    /** {@code encoding} followed by {@code extra} (at least one byte) is refused as malformed. */
    static void assertExtensionRefused(Parser parser, byte[] encoding, byte[] extra) {
        byte[] extended = Arrays.copyOf(encoding, encoding.length + extra.length);
        System.arraycopy(extra, 0, extended, encoding.length, extra.length);
        ProtocolException refused = assertThrows(ProtocolException.class, () -> parser.parse(extended),
            extra.length + " trailing bytes were accepted");
        assertEquals(ErrorCode.MALFORMED_MESSAGE, refused.error());
    }

    /** {@code encoding} with byte {@code position % length} XORed with {@code flip} (non-zero). */
    static byte[] mutated(byte[] encoding, int position, byte flip) {
        byte[] mutated = encoding.clone();
        mutated[Math.floorMod(position, mutated.length)] ^= flip == 0 ? 1 : flip;
        return mutated;
    }
}
