package io.qgate.engine.protocol;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bounded reassembly of handshake fragments into {@link HandshakeMessage}s, section 5.1 of
 * {@code docs/PROTOCOL.md}, with the bounds of section 1.
 *
 * <p>A message is reassembled under the key (source address and port, type, sender index). Every
 * fragment of it must agree on {@code message_length}, {@code receiver_index} and
 * {@code fragment_count}; a duplicate index is ignored; the fragments must tile
 * {@code [0, message_length)} in index order. A fragment that can be judged alone (a header value
 * out of range, or one that cannot take its place in any tiling: fragment 0 not at offset 0, the
 * last one not ending at {@code message_length}, a message longer than its fragments can carry)
 * is dropped without touching any state. A fragment that disagrees with the partial message of
 * its key, or does not start where its predecessor ends (or end where its successor starts),
 * drops that partial message: it could never complete correctly. A message of one fragment
 * completes without storing anything.
 *
 * <p>Bounds: at most {@link Protocol#MAX_PARTIAL_PER_SOURCE} partial messages per
 * {@link SourcePrefix} (IPv4 address or IPv6 /64), {@link Protocol#MAX_PARTIAL_TOTAL} in all and
 * {@link Protocol#MAX_PARTIAL_BYTES} of declared {@code message_length} in all; a new partial
 * message that would exceed one evicts the oldest (of that source, or of all). A partial message
 * older than {@link Protocol#REASSEMBLY_TIMEOUT} is dropped. The body buffer is allocated at
 * {@code message_length} when the first fragment arrives, which is why memory is accounted by the
 * declared length.
 *
 * <p>Under load ({@link #isUnderPressure()}, or many pending handshakes), the responder sets
 * {@link #acceptNewOnlyFromFragmentZero(boolean)}: then only fragment 0, which carries an
 * initiation's cookie and which the caller has checked before calling {@link #accept}, may
 * create a partial message.
 *
 * <p>{@link Complete#datagramBytes()} counts every datagram accepted for the message, duplicates
 * included, so that the responder knows how many bytes the source sent ({@link AmplificationBudget}).
 *
 * <p>Not thread-safe: one thread (the control thread) owns an instance. Times are
 * {@link System#nanoTime()} values and must not go backwards.
 */
public final class Reassembler {
    /** What became of one datagram. */
    public sealed interface Result permits Complete, Incomplete, Dropped {
    }

    /**
     * The datagram completed {@code message}.
     *
     * @param datagramBytes the bytes of every datagram accepted for it, headers and duplicates
     *     included (saturating at {@link Integer#MAX_VALUE})
     */
    public record Complete(HandshakeMessage message, int datagramBytes) implements Result {
    }

    /** The datagram was kept, or was a duplicate; the message is not complete yet. */
    public record Incomplete() implements Result {
    }

    /**
     * The datagram was dropped, and with it, if it contradicted one, the partial message of its key.
     *
     * @param reason {@code MALFORMED_MESSAGE}, {@code UNKNOWN_MESSAGE_TYPE}, {@code UNSUPPORTED_VERSION},
     *     or {@code COOKIE_REQUIRED} for a fragment refused by {@link #acceptNewOnlyFromFragmentZero}
     * @param why one sentence naming the cause, for a debug log or a counter's label
     */
    public record Dropped(ErrorCode reason, String why) implements Result {
    }

    private static final Incomplete INCOMPLETE = new Incomplete();

    private final FragmentHeader header = new FragmentHeader();
    /** Every partial message in creation order, so the first is the oldest. */
    private final LinkedHashMap<Key, Partial> partials = new LinkedHashMap<>();
    private final Map<SourcePrefix, ArrayDeque<Partial>> bySource = new HashMap<>();
    private long partialBytes;
    private boolean newOnlyFromFragmentZero;
    private long evictions;
    private long expirations;

    /**
     * Takes the first {@code length} bytes of {@code datagram}, a fragment received from
     * {@code source} at {@code nowNanos}. Never throws for anything the datagram holds.
     *
     * @throws IllegalArgumentException if {@code length} is outside the segment or {@code source}
     *     is unresolved (caller bugs)
     */
    public Result accept(InetSocketAddress source, MemorySegment datagram, int length, long nowNanos) {
        WireFormat.checkLength(datagram, length);
        if (source.getAddress() == null) {
            throw new IllegalArgumentException("source " + source + " is unresolved: reassembly is per IP address");
        }
        expire(nowNanos);
        header.wrap(datagram);
        Dropped malformed = checkAlone(length);
        if (malformed != null) {
            return malformed;
        }
        Key key = new Key(source, MessageType.fromCode(header.type()), header.senderIndex());
        Partial partial = partials.get(key);
        if (partial != null) {
            String disagreement = partial.disagreement(header);
            if (disagreement != null) {
                remove(partial);
                return malformed(disagreement);
            }
        } else if (header.fragmentCount() == 1) {
            byte[] body = WireFormat.getBytes(datagram, FragmentHeader.LENGTH, length - FragmentHeader.LENGTH);
            return new Complete(new HandshakeMessage(key.type, key.senderIndex, header.receiverIndex(), body), length);
        } else if (newOnlyFromFragmentZero && header.fragmentIndex() != 0) {
            return new Dropped(ErrorCode.COOKIE_REQUIRED,
                "under load only fragment 0 may start a handshake message; fragment " + header.fragmentIndex()
                    + " arrived first");
        } else {
            partial = create(key, nowNanos);
        }
        return add(partial, datagram, length);
    }

    /** Drops every partial message older than {@link Protocol#REASSEMBLY_TIMEOUT}. */
    public void expire(long nowNanos) {
        while (!partials.isEmpty()) {
            Partial oldest = partials.firstEntry().getValue();
            if (nowNanos - oldest.createdNanos <= Protocol.REASSEMBLY_TIMEOUT) {
                return;
            }
            remove(oldest);
            expirations++;
        }
    }

    /** Partial messages held now. */
    public int partialCount() {
        return partials.size();
    }

    /** The sum of the declared {@code message_length} of the partial messages held now. */
    public long partialBytes() {
        return partialBytes;
    }

    /**
     * Whether more than a quarter of {@link Protocol#MAX_PARTIAL_TOTAL} or of
     * {@link Protocol#MAX_PARTIAL_BYTES} is in use: the reassembly half of "under load" (section 7).
     * The per-source bound is not part of it: one busy source does not put everyone under load.
     */
    public boolean isUnderPressure() {
        return partials.size() > Protocol.MAX_PARTIAL_TOTAL / 4 || partialBytes > Protocol.MAX_PARTIAL_BYTES / 4;
    }

    /** When on, a fragment whose index is not 0 creates no partial message (it still joins an existing one). */
    public void acceptNewOnlyFromFragmentZero(boolean on) {
        newOnlyFromFragmentZero = on;
    }

    /** Whether {@link #acceptNewOnlyFromFragmentZero(boolean)} is on. */
    public boolean isAcceptingNewOnlyFromFragmentZero() {
        return newOnlyFromFragmentZero;
    }

    /** Partial messages evicted to respect a bound, since creation. */
    public long evictions() {
        return evictions;
    }

    /** Partial messages dropped by {@link Protocol#REASSEMBLY_TIMEOUT}, since creation. */
    public long expirations() {
        return expirations;
    }

    /** Why this datagram can be no fragment of any valid message, or null if it may be one. */
    private Dropped checkAlone(int length) {
        if (length < FragmentHeader.LENGTH + 1) {
            return malformed("a handshake fragment of " + length + " bytes is shorter than its "
                + FragmentHeader.LENGTH + "-byte header and one byte");
        }
        if (length > Protocol.MAX_HANDSHAKE_DATAGRAM) {
            return malformed("a handshake fragment of " + length + " bytes is longer than "
                + Protocol.MAX_HANDSHAKE_DATAGRAM);
        }
        MessageType type = MessageType.fromCode(header.type());
        if (type == null) {
            return new Dropped(ErrorCode.UNKNOWN_MESSAGE_TYPE, "a datagram of unknown type " + header.type() + " arrived");
        }
        if (header.version() != Protocol.VERSION) {
            return new Dropped(ErrorCode.UNSUPPORTED_VERSION, "a " + type + " fragment of protocol version "
                + header.version() + " arrived; this build speaks version " + Protocol.VERSION);
        }
        int messageLength = header.messageLength();
        String problem = HandshakeMessage.headerProblem(type, messageLength, header.senderIndex(), header.receiverIndex());
        if (problem != null) {
            return malformed(problem);
        }
        int count = header.fragmentCount();
        int index = header.fragmentIndex();
        int offset = header.fragmentOffset();
        int end = offset + length - FragmentHeader.LENGTH;
        if (count < 1 || count > Protocol.MAX_FRAGMENTS) {
            return malformed("a fragment count of " + count + " is outside 1.." + Protocol.MAX_FRAGMENTS);
        }
        if (index >= count) {
            return malformed("fragment index " + index + " is not below the fragment count " + count);
        }
        if (messageLength > count * Protocol.MAX_FRAGMENT_PAYLOAD) {
            return malformed("a " + messageLength + "-byte message cannot fit in " + count + " fragments");
        }
        if (end > messageLength) {
            return malformed("fragment " + index + " ends at byte " + end + ", beyond the " + messageLength
                + "-byte message");
        }
        if (index == 0 && offset != 0) {
            return malformed("fragment 0 starts at offset " + offset + " instead of 0");
        }
        if (index == count - 1 && end != messageLength) {
            return malformed("the last fragment ends at byte " + end + " instead of the message length " + messageLength);
        }
        if (offset < index || end > messageLength - (count - 1 - index)) {
            return malformed("fragment " + index + " of " + count + " at [" + offset + ", " + end
                + ") leaves no byte for a fragment before or after it");
        }
        return null;
    }

    private Partial create(Key key, long nowNanos) {
        int messageLength = header.messageLength();
        SourcePrefix prefix = SourcePrefix.of(key.source.getAddress());
        ArrayDeque<Partial> ofSource = bySource.get(prefix);
        if (ofSource != null && ofSource.size() >= Protocol.MAX_PARTIAL_PER_SOURCE) {
            evict(ofSource.getFirst());
        }
        while (partials.size() >= Protocol.MAX_PARTIAL_TOTAL || partialBytes + messageLength > Protocol.MAX_PARTIAL_BYTES) {
            evict(partials.firstEntry().getValue());
        }
        Partial partial = new Partial(key, prefix, nowNanos, messageLength, header.receiverIndex(), header.fragmentCount());
        partials.put(key, partial);
        bySource.computeIfAbsent(prefix, p -> new ArrayDeque<>(Protocol.MAX_PARTIAL_PER_SOURCE)).addLast(partial);
        partialBytes += messageLength;
        return partial;
    }

    private Result add(Partial partial, MemorySegment datagram, int length) {
        partial.datagramBytes += length;
        int index = header.fragmentIndex();
        if (partial.has(index)) {
            return INCOMPLETE;
        }
        int offset = header.fragmentOffset();
        int fragmentLength = length - FragmentHeader.LENGTH;
        boolean followsPredecessor = index == 0 || !partial.has(index - 1) || partial.end(index - 1) == offset;
        boolean meetsSuccessor = index == partial.count - 1 || !partial.has(index + 1)
            || offset + fragmentLength == partial.offsets[index + 1];
        if (!followsPredecessor || !meetsSuccessor) {
            remove(partial);
            return malformed("fragment " + index + " at [" + offset + ", " + (offset + fragmentLength)
                + ") overlaps or leaves a gap with its neighbour");
        }
        MemorySegment.copy(datagram, ValueLayout.JAVA_BYTE, FragmentHeader.LENGTH, partial.body, offset, fragmentLength);
        partial.offsets[index] = offset;
        partial.lengths[index] = fragmentLength;
        partial.received |= 1L << index;
        if (!partial.isComplete()) {
            return INCOMPLETE;
        }
        remove(partial);
        Key key = partial.key;
        HandshakeMessage message = new HandshakeMessage(key.type, key.senderIndex, partial.receiverIndex, partial.body);
        return new Complete(message, (int) Math.min(Integer.MAX_VALUE, partial.datagramBytes));
    }

    private void evict(Partial partial) {
        remove(partial);
        evictions++;
    }

    private void remove(Partial partial) {
        partials.remove(partial.key);
        ArrayDeque<Partial> ofSource = bySource.get(partial.prefix);
        ofSource.remove(partial);
        if (ofSource.isEmpty()) {
            bySource.remove(partial.prefix);
        }
        partialBytes -= partial.messageLength;
    }

    private static Dropped malformed(String why) {
        return new Dropped(ErrorCode.MALFORMED_MESSAGE, why);
    }

    private record Key(InetSocketAddress source, MessageType type, int senderIndex) {
    }

    private static final class Partial {
        final Key key;
        final SourcePrefix prefix;
        final long createdNanos;
        final int messageLength;
        final int receiverIndex;
        final int count;
        final byte[] body;
        final int[] offsets;
        final int[] lengths;
        long received;
        long datagramBytes;

        Partial(Key key, SourcePrefix prefix, long createdNanos, int messageLength, int receiverIndex, int count) {
            this.key = key;
            this.prefix = prefix;
            this.createdNanos = createdNanos;
            this.messageLength = messageLength;
            this.receiverIndex = receiverIndex;
            this.count = count;
            this.body = new byte[messageLength];
            this.offsets = new int[count];
            this.lengths = new int[count];
        }

        boolean has(int index) {
            return (received & 1L << index) != 0;
        }

        int end(int index) {
            return offsets[index] + lengths[index];
        }

        boolean isComplete() {
            return Long.bitCount(received) == count;
        }

        /** Which header field of {@code fragment} contradicts this message, or null if none does. */
        String disagreement(FragmentHeader fragment) {
            if (fragment.messageLength() != messageLength) {
                return "fragments of one " + key.type + " disagree on its length (" + messageLength + " and "
                    + fragment.messageLength() + " bytes)";
            }
            if (fragment.fragmentCount() != count) {
                return "fragments of one " + key.type + " disagree on the fragment count (" + count + " and "
                    + fragment.fragmentCount() + ")";
            }
            if (fragment.receiverIndex() != receiverIndex) {
                return "fragments of one " + key.type + " disagree on the receiver index";
            }
            return null;
        }
    }
}
