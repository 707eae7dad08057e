package io.qgate.engine.session;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qgate.crypto.Backend;
import io.qgate.crypto.SecretBytes;
import io.qgate.crypto.aead.Aeads;
import io.qgate.engine.protocol.MessageType;
import io.qgate.engine.protocol.Protocol;
import io.qgate.engine.protocol.Suite;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Two ends of one session: {@code a} sends with chain X and receives with chain Y, {@code b} the
 * other way round, so what one seals the other opens. Chains are fixed bytes, so several keypairs
 * built from the same seeds share keys (a sender may start at any counter).
 */
final class KeypairFixture {
    static final int A_INDEX = 0x0a0a0a0a;
    static final int B_INDEX = 0xb0b0b0b0;
    static final int DATA = MessageType.DATA.code();
    static final int CLOSE = MessageType.CLOSE.code();
    static final long EPOCH_PACKETS = 1L << Protocol.EPOCH_SHIFT;
    static final long CREATED = 1_000L;

    private KeypairFixture() {
    }

    record Pair(Keypair a, Keypair b) {
    }

    /** Every (suite with a distinct AEAD, backend) combination. */
    static Stream<Arguments> suitesAndBackends() {
        List<Arguments> all = new ArrayList<>();
        for (Suite suite : new Suite[] {Suite.MLKEM768_MLDSA65_AES256GCM, Suite.MLKEM768_MLDSA65_CHACHA20POLY1305}) {
            for (Backend backend : new Backend[] {Backend.JDK, Backend.OPENSSL}) {
                all.add(Arguments.of(suite, backend));
            }
        }
        return all.stream();
    }

    /** Skips the test when {@code backend} is not installed here, and fails under CI. */
    static void assumeAvailable(Backend backend) {
        String reason = Aeads.unavailableReason(backend);
        if (reason != null && System.getenv("CI") != null) {
            fail(reason);
        }
        assumeTrue(reason == null, reason);
    }

    static SecretBytes chain(int seed) {
        byte[] chain = new byte[TrafficKeys.CHAIN_LENGTH];
        for (int i = 0; i < chain.length; i++) {
            chain[i] = (byte) (seed * 31 + i);
        }
        return SecretBytes.wrap(chain);
    }

    /** The sending end of direction X (A to B) at {@code firstCounter}. */
    static Keypair a(Suite suite, Backend backend, int workers, long firstCounter) {
        return new Keypair(suite, A_INDEX, B_INDEX, chain(1), chain(2), CREATED, workers, backend, firstCounter,
            Protocol.INTEGRITY_LIMIT);
    }

    /** The receiving end of direction X (A to B); it sends in direction Y from {@code firstCounter}. */
    static Keypair b(Suite suite, Backend backend, int workers, long firstCounter, long integrityLimit) {
        return new Keypair(suite, B_INDEX, A_INDEX, chain(2), chain(1), CREATED, workers, backend, firstCounter,
            integrityLimit);
    }

    static Pair pair(Suite suite, Backend backend, int workers, long firstCounter) {
        return new Pair(a(suite, backend, workers, firstCounter),
            b(suite, backend, workers, firstCounter, Protocol.INTEGRITY_LIMIT));
    }

    static Pair pair(Backend backend) {
        return pair(Suite.DEFAULT, backend, 1, 0);
    }

    /** A heap packet holding {@code payload} at offset 16, with room for the tag. */
    static MemorySegment packet(byte[] payload) {
        MemorySegment packet = MemorySegment.ofArray(new byte[payload.length + Protocol.DATA_OVERHEAD]);
        MemorySegment.copy(payload, 0, packet, ValueLayout.JAVA_BYTE, DataHeader.LENGTH, payload.length);
        return packet;
    }

    /** Seals {@code payload} with worker 0 and returns the datagram bytes. */
    static byte[] seal(Keypair sender, byte[] payload, int type) {
        MemorySegment packet = packet(payload);
        int length = sender.seal(0, packet, payload.length, type, CREATED);
        if (length < 0) {
            throw new AssertionError("seal failed: " + Keypair.describe(length));
        }
        return packet.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
    }

    static byte[] seal(Keypair sender, byte[] payload) {
        return seal(sender, payload, DATA);
    }

    /** Opens a copy of {@code datagram} with worker 0 and returns the status or plaintext length. */
    static int open(Keypair receiver, byte[] datagram, long now) {
        return receiver.open(0, MemorySegment.ofArray(datagram.clone()), datagram.length, now);
    }

    static int open(Keypair receiver, byte[] datagram) {
        return open(receiver, datagram, CREATED);
    }

    static byte[] payload(int length, int seed) {
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) (seed + i * 7);
        }
        return payload;
    }

    /** The counter in a datagram's header. */
    static long counter(byte[] datagram) {
        return new DataHeader().wrap(MemorySegment.ofArray(datagram)).counter();
    }
}
