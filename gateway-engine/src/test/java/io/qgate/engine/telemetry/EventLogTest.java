package io.qgate.engine.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class EventLogTest {
    private static final Instant AT = Instant.parse("2026-05-01T12:34:56Z");

    @Test
    void theLevelComesFirstThenTheTimeWithMillisecondsThenTheMessage() {
        assertEquals("WARN 2026-05-01T12:34:56.000Z qg0: handshake failed", EventLog.format("WARN qg0: handshake failed", AT));
        assertEquals("ERROR 2026-05-01T12:34:56.000Z qg0: x", EventLog.format("ERROR qg0: x", AT));
    }

    @Test
    void aLineWithoutALevelIsInfo() {
        assertEquals("INFO 2026-05-01T12:34:56.000Z qg0: up", EventLog.format("qg0: up", AT));
        assertEquals("INFO 2026-05-01T12:34:56.000Z DEBUG x", EventLog.format("DEBUG x", AT));
    }

    @Test
    void anEventIsAlwaysOneLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new EventLog(new PrintStream(bytes, true, StandardCharsets.UTF_8), Clock.fixed(AT, ZoneOffset.UTC))
            .accept("ERROR qg0: thread stopped: boom\nsecond line\r");
        assertEquals("ERROR 2026-05-01T12:34:56.000Z qg0: thread stopped: boom\\nsecond line\\r" + System.lineSeparator(),
            bytes.toString(StandardCharsets.UTF_8));
    }
}
