package io.qgate.engine.chaos;

/**
 * What the {@link ChaosRelay} does to one datagram. Exactly one of these happens to each datagram
 * it receives; a replay ({@link Faults#replay()}) is decided apart, after it.
 */
public enum Fault {
    /** Sent on unchanged, at once. */
    FORWARD,
    /** Never sent. */
    DROP,
    /** Held and sent after a later datagram of the same direction (or after a short timeout). */
    REORDER,
    /** Held for {@link Faults#delay()} in a bounded queue, then sent. */
    DELAY,
    /** Sent twice in a row. */
    DUPLICATE,
    /** Sent cut short: a random length from 1 to one byte less than it had (a 1-byte datagram goes out empty). */
    TRUNCATE,
    /** Sent with one random byte changed (XOR with a random non-zero value). */
    CORRUPT
}
