package io.qgate.engine.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HandshakeMessageTest {
    @Test
    void canonicalFormIsTheTwelveByteHeaderThenTheBody() {
        HandshakeMessage message = new HandshakeMessage(MessageType.RESPONSE, 0xA1B2C3D4, 0x00000102, new byte[] {9, 8, 7});
        assertArrayEquals(new byte[] {
            2, 1, 0, 3,
            (byte) 0xA1, (byte) 0xB2, (byte) 0xC3, (byte) 0xD4,
            0, 0, 1, 2,
            9, 8, 7}, message.canonical());
    }

    @Test
    void acceptsTheLargestBody() {
        assertEquals(65_535, new HandshakeMessage(MessageType.CONFIRM, 1, 2, new byte[65_535]).bodyLength());
    }

    @Test
    void rejectsTypesThatAreNotFragmented() {
        for (MessageType type : new MessageType[] {MessageType.DATA, MessageType.COOKIE_REPLY,
                MessageType.HANDSHAKE_ERROR, MessageType.CLOSE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HandshakeMessage(type, 1, 2, new byte[1]));
            assertTrue(e.getMessage().contains("not a handshake message"), e.getMessage());
        }
    }

    @Test
    void rejectsAnEmptyOrOversizedBody() {
        assertThrows(IllegalArgumentException.class, () -> new HandshakeMessage(MessageType.INITIATION, 1, 0, new byte[0]));
        assertThrows(IllegalArgumentException.class,
            () -> new HandshakeMessage(MessageType.INITIATION, 1, 0, new byte[65_536]));
    }

    @Test
    void rejectsSenderIndexZero() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new HandshakeMessage(MessageType.INITIATION, 0, 0, new byte[1]));
        assertTrue(e.getMessage().contains("sender index 0"), e.getMessage());
    }

    @Test
    void requiresReceiverIndexZeroExactlyInAnInitiation() {
        assertThrows(IllegalArgumentException.class, () -> new HandshakeMessage(MessageType.INITIATION, 1, 5, new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> new HandshakeMessage(MessageType.RESPONSE, 1, 0, new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> new HandshakeMessage(MessageType.CONFIRM, 1, 0, new byte[1]));
    }

    @Test
    void ownsItsBodyAndComparesByContent() {
        byte[] body = {1, 2, 3};
        HandshakeMessage message = new HandshakeMessage(MessageType.CONFIRM, 4, 5, body);
        body[0] = 99;
        message.body()[1] = 99;
        assertArrayEquals(new byte[] {1, 2, 3}, message.body());
        assertEquals(new HandshakeMessage(MessageType.CONFIRM, 4, 5, new byte[] {1, 2, 3}), message);
        assertEquals(new HandshakeMessage(MessageType.CONFIRM, 4, 5, new byte[] {1, 2, 3}).hashCode(), message.hashCode());
        assertNotEquals(new HandshakeMessage(MessageType.CONFIRM, 4, 5, new byte[] {1, 2, 4}), message);
        assertNotEquals(new HandshakeMessage(MessageType.RESPONSE, 4, 5, new byte[] {1, 2, 3}), message);
    }

    @Test
    void printsLengthsNotBodyBytes() {
        String text = new HandshakeMessage(MessageType.CONFIRM, -1, 5, new byte[] {119, 120}).toString();
        assertTrue(text.contains("4294967295") && text.contains("2 bytes"), text);
        assertFalse(text.contains("119") || text.contains("120"), text);
    }
}
