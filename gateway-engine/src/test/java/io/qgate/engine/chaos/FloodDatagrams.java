package io.qgate.engine.chaos;

import io.qgate.engine.protocol.FragmentHeader;
import io.qgate.engine.protocol.MessageType;
import io.qgate.engine.protocol.Protocol;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * The datagrams a {@link Flood} sends, from a seed: hostile input a gateway must count and drop.
 *
 * <ul>
 * <li>{@link #malformed}: every message type in turn (the seven of {@code docs/PROTOCOL.md} section
 *     4, then an unknown type), each broken in a way its parser must catch: too short (0 or 1 byte),
 *     a wrong version, a handshake fragment claiming 0 fragments, or random bytes under a DATA or
 *     CLOSE header (a receiver index nobody gave out), a COOKIE_REPLY or HANDSHAKE_ERROR of random
 *     length and content.</li>
 * <li>{@link #initiation}: a valid-looking first fragment of a three-fragment INITIATION with a
 *     random sender index and random body, as a spoofing attacker would send to make the responder
 *     hold reassembly state (and so to push it into cookie mode).</li>
 * </ul>
 *
 * Not thread-safe: one generator per sending thread.
 */
public final class FloodDatagrams {
    /** The type codes {@link #malformed} cycles through: the seven known, then an unknown one. */
    public static final int KINDS = 8;
    private final SplittableRandom random;
    private final FragmentHeader header = new FragmentHeader();
    private int next;

    public FloodDatagrams(long seed) {
        random = new SplittableRandom(seed);
    }

    /**
     * Writes the next malformed datagram into {@code into} (cleared first, flipped after: ready to
     * send) and returns its first byte, the message type it pretends to be (0 or 8..255: unknown).
     */
    public int malformed(ByteBuffer into) {
        int kind = next;
        next = (next + 1) % KINDS;
        int type = kind < MessageType.values().length ? MessageType.values()[kind].code()
            : random.nextBoolean() ? 0 : random.nextInt(8, 256);
        into.clear();
        int flaw = random.nextInt(4);
        int length = flaw == 0 ? random.nextInt(2) : random.nextInt(2, Protocol.MAX_HANDSHAKE_DATAGRAM + 1);
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        if (length > 0) {
            bytes[0] = (byte) type;
        }
        if (length > 1) {
            // flaw 1: a version that is not ours; otherwise ours, so the flaw is further in
            bytes[1] = (byte) (flaw == 1 ? random.nextInt(2, 256) : Protocol.VERSION);
        }
        MessageType known = MessageType.fromCode(type);
        if (flaw > 1 && known != null && known.isFragmented() && length >= FragmentHeader.LENGTH) {
            bytes[FragmentHeader.FRAGMENT_COUNT_OFFSET] = 0; // no fragment can be one of zero
        }
        into.put(bytes).flip();
        return type;
    }

    /** Writes a valid-looking INITIATION fragment 0 (of 3) with a random sender index into {@code into}, flipped. */
    public void initiation(ByteBuffer into) {
        int body = Protocol.MAX_HANDSHAKE_DATAGRAM - FragmentHeader.LENGTH;
        into.clear();
        for (int i = 0; i < Protocol.MAX_HANDSHAKE_DATAGRAM; i += 8) {
            into.putLong(i, random.nextLong());
        }
        header.wrap(java.lang.foreign.MemorySegment.ofBuffer(into))
            .type(MessageType.INITIATION.code()).version(Protocol.VERSION).messageLength(3 * body)
            .senderIndex(random.nextInt()).receiverIndex(0).fragmentOffset(0).fragmentIndex(0).fragmentCount(3);
        into.limit(Protocol.MAX_HANDSHAKE_DATAGRAM);
    }
}
