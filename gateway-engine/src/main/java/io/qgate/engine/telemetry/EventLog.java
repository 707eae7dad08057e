package io.qgate.engine.telemetry;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;

/**
 * Prints a gateway's events, one line each: {@code LEVEL TIME MESSAGE}, such as
 * {@code INFO 2026-05-01T12:34:56.789Z qg0: peer gw-b: session established (...)}.
 *
 * <p>The gateway hands it lines that start with their level ({@code INFO}, {@code WARN} or
 * {@code ERROR}); a line without one is {@code INFO}. Line breaks inside a message are written
 * as {@code \n}, so one event is always one line. What is logged never includes key material:
 * events name peers, addresses, suites and error descriptions only.
 *
 * <p><b>Threads:</b> safe from any thread ({@link PrintStream} locks per line).
 */
public final class EventLog implements Consumer<String> {
    /** The levels, most to least severe. */
    public enum Level { ERROR, WARN, INFO }

    /** UTC, always with milliseconds (Instant.toString drops a zero fraction). */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final PrintStream out;
    private final Clock clock;

    public EventLog(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    @Override
    public void accept(String line) {
        out.println(format(line, clock.instant()));
    }

    /** The printed form of {@code line} at {@code now}. */
    public static String format(String line, Instant now) {
        Level level = Level.INFO;
        String message = line;
        int space = line.indexOf(' ');
        if (space > 0) {
            String first = line.substring(0, space);
            for (Level l : Level.values()) {
                if (l.name().equals(first)) {
                    level = l;
                    message = line.substring(space + 1);
                }
            }
        }
        return level + " " + TIME.format(now) + " "
            + message.replace("\r", "\\r").replace("\n", "\\n");
    }
}
