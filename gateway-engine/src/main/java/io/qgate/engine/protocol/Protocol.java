package io.qgate.engine.protocol;

/**
 * The constants of qgate protocol version 1, as listed in section 1 of {@code docs/PROTOCOL.md}.
 * Times are in nanoseconds unless the name says otherwise.
 */
public final class Protocol {
    /** The only protocol version this build speaks; the second byte of every datagram. */
    public static final int VERSION = 1;

    public static final int MAX_HANDSHAKE_DATAGRAM = 1200;
    public static final int MAX_HANDSHAKE_MESSAGE = 65_535;
    public static final int MAX_FRAGMENTS = 64;
    public static final int FRAGMENT_HEADER_LENGTH = 16;
    /** Bytes of the canonical message header that goes into the transcript (section 5.1). */
    public static final int CANONICAL_HEADER_LENGTH = 12;
    public static final int MAX_FRAGMENT_PAYLOAD = MAX_HANDSHAKE_DATAGRAM - FRAGMENT_HEADER_LENGTH;

    public static final long REASSEMBLY_TIMEOUT = 5_000_000_000L;
    public static final int MAX_PARTIAL_PER_SOURCE = 4;
    public static final int MAX_PARTIAL_TOTAL = 1024;
    public static final long MAX_PARTIAL_BYTES = 16L << 20;

    public static final int AMPLIFICATION_FACTOR = 3;
    public static final int HANDSHAKE_RATE_PER_SECOND = 20;
    public static final int HANDSHAKE_RATE_BURST = 5;
    public static final long COOKIE_SECRET_LIFETIME = 120_000_000_000L;
    public static final int COOKIE_LENGTH = 16;
    public static final int MAX_PENDING_HANDSHAKES = 4096;
    /**
     * More initiations than this in one second put the responder under load (about what one core
     * completes per second, docs/PERFORMANCE.md): a flood is met with cookies from its first second.
     */
    public static final int UNDER_LOAD_INITIATIONS = 1_000;
    /** How long the responder stays under load after the last sign of it (wireguard's UNDER_LOAD_AFTER_TIME is 1 s too). */
    public static final long UNDER_LOAD_HOLD = 1_000_000_000L;
    /**
     * Cookie replies per second at most, after a burst of {@link #COOKIE_REPLY_BURST}, to sources
     * that never completed a handshake (and as many again to those that did): under a flood from
     * spoofed sources, what the responder spends on unauthenticated initiations is bounded (a
     * legitimate initiator whose cookie-less initiation is not answered retries, section 8). Each
     * reply is one datagram through the kernel's send path, 5 to 9 µs of the control thread's CPU
     * on the 2-core development machine (perf during InitiationFloodNamespaceTest): at 10,000 a
     * second the replies took 5 to 9% of the CPU the tunnel ran on, and the peer's stream kept
     * about 10 points less of its throughput than at 2,000.
     */
    public static final int COOKIE_REPLIES_PER_SECOND = 2_000;
    public static final int COOKIE_REPLY_BURST = 1_000;
    public static final long HANDSHAKE_TIMEOUT = 10_000_000_000L;
    public static final long HANDSHAKE_RETRY_INITIAL = 1_000_000_000L;
    public static final long HANDSHAKE_RETRY_MAX = 8_000_000_000L;

    public static final long REKEY_AFTER_TIME = 120_000_000_000L;
    /**
     * The shortest rekey interval a gateway may be configured with ({@code rekey_after}): a rekey
     * costs a handshake (about 1 ms of CPU per side) and must finish, with its retries, well
     * before the next one is due.
     */
    public static final long MIN_REKEY_AFTER_TIME = 5_000_000_000L;
    public static final long REJECT_AFTER_TIME = 180_000_000_000L;
    public static final long REKEY_ATTEMPT_TIME = 90_000_000_000L;
    public static final long KEEPALIVE_TIMEOUT = 10_000_000_000L;
    public static final long DEAD_PEER_TIMEOUT = 15_000_000_000L;
    public static final long TIMESTAMP_WINDOW_MILLIS = 300_000L;

    public static final int EPOCH_SHIFT = 22;
    public static final int MAX_EPOCH = 65_535;
    /** The last counter a keypair may use: {@code 2^38 - 1}. */
    public static final long REJECT_AFTER_MESSAGES = ((long) (MAX_EPOCH + 1) << EPOCH_SHIFT) - 1;
    public static final long INTEGRITY_LIMIT = 1L << 36;

    public static final int DATA_HEADER_LENGTH = 16;
    public static final int TAG_LENGTH = 16;
    public static final int DATA_OVERHEAD = DATA_HEADER_LENGTH + TAG_LENGTH;

    public static final int RANDOM_LENGTH = 32;
    public static final int FINISHED_LENGTH = 32;
    public static final int MAX_OFFERED_SUITES = 16;
    public static final int MAX_ERROR_DETAIL = 64;

    private Protocol() {
    }
}
