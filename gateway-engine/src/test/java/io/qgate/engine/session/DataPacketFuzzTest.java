package io.qgate.engine.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.qgate.crypto.SecretBytes;
import io.qgate.crypto.aead.Aeads;
import io.qgate.engine.fuzz.DatagramSequence;
import io.qgate.engine.fuzz.Seeds;
import io.qgate.engine.protocol.MessageType;
import io.qgate.engine.protocol.Protocol;
import io.qgate.engine.protocol.Suite;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzz targets for {@code DATA} and {@code CLOSE} packets (section 9 of {@code docs/PROTOCOL.md}):
 * the {@link DataHeader} flyweight, and {@link Keypair#open}, which must never accept a datagram
 * that is not one the peer genuinely sealed, and must accept each genuine one at most once.
 */
class DataPacketFuzzTest {
    private static final Suite SUITE = Suite.DEFAULT;
    private static final int SENDER_INDEX = 0x5EED_0001;
    private static final int RECEIVER_INDEX = 0x5EED_0002;
    private static final byte[] CHAIN_TO_RECEIVER = filled(0x11);
    private static final byte[] CHAIN_TO_SENDER = filled(0x22);
    /** Open times a record's selector picks: early, late, the last nanosecond, expired. */
    private static final long[] TIMES = {1_000_000_000L, 100_000_000_000L, Protocol.REJECT_AFTER_TIME - 1,
        Protocol.REJECT_AFTER_TIME};
    private static final int SLACK = 9;
    /** Every packet the sender sealed, with its plaintext, in sealing order. */
    private static final Map<ByteBuffer, byte[]> GENUINE = sealGenuinePackets();

    @MethodSource("headers")
    @FuzzTest
    void dataHeader(byte[] input) {
        MemorySegment segment = MemorySegment.ofArray(input);
        if (input.length < DataHeader.LENGTH) {
            assertThrows(IllegalArgumentException.class, () -> new DataHeader().wrap(segment));
            return;
        }
        DataHeader read = new DataHeader().wrap(segment);
        byte[] copy = new byte[DataHeader.LENGTH];
        new DataHeader().wrap(MemorySegment.ofArray(copy)).type(read.type()).version(read.version())
            .epoch(read.epoch()).receiverIndex(read.receiverIndex()).counter(read.counter());
        assertArrayEquals(Arrays.copyOf(input, DataHeader.LENGTH), copy);
        assertTrue(read.type() <= 0xFF && read.version() <= 0xFF && read.epoch() <= 0xFFFF);
        assertNotNull(read.toString());
    }

    /**
     * A sequence of datagrams ({@link DatagramSequence}; selector bits 0-1 pick the time) opened
     * by a fresh receiving keypair: every success is a genuine packet not accepted before, with
     * its plaintext; every failure is a defined status; every failed tag is counted.
     */
    @MethodSource("packetSequences")
    @FuzzTest
    void keypairOpen(byte[] input) {
        Set<ByteBuffer> accepted = new HashSet<>();
        int authFailures = 0;
        try (Keypair receiver = receiver()) {
            for (DatagramSequence.Entry entry : DatagramSequence.split(input)) {
                byte[] datagram = entry.datagram();
                long now = TIMES[entry.selector() & 3];
                MemorySegment buffer = MemorySegment.ofArray(Arrays.copyOf(datagram, datagram.length + SLACK));
                int status = receiver.open(0, buffer, datagram.length, now);
                if (status >= 0) {
                    ByteBuffer key = ByteBuffer.wrap(datagram);
                    byte[] plaintext = GENUINE.get(key);
                    assertNotNull(plaintext, "a forged datagram was accepted");
                    assertTrue(accepted.add(key), "a genuine datagram was accepted twice");
                    assertTrue(now < Protocol.REJECT_AFTER_TIME, "an expired keypair opened a packet");
                    assertArrayEquals(plaintext, buffer.asSlice(DataHeader.LENGTH, status).toArray(ValueLayout.JAVA_BYTE));
                } else {
                    assertFalse(Keypair.describe(status).startsWith("unknown"), "undefined status " + status);
                    authFailures += status == Keypair.AUTH_FAILED ? 1 : 0;
                }
            }
            assertEquals(authFailures, receiver.failedOpens());
        }
    }

    @Test
    void everyGenuinePacketOpensOnAFreshKeypair() {
        for (Map.Entry<ByteBuffer, byte[]> packet : GENUINE.entrySet()) {
            try (Keypair receiver = receiver()) {
                byte[] datagram = packet.getKey().array().clone();
                int status = receiver.open(0, MemorySegment.ofArray(datagram), datagram.length, TIMES[0]);
                assertEquals(packet.getValue().length, status, Keypair.describe(status));
            }
        }
    }

    private static Keypair receiver() {
        return new Keypair(SUITE, RECEIVER_INDEX, SENDER_INDEX, SecretBytes.copyOf(CHAIN_TO_SENDER),
            SecretBytes.copyOf(CHAIN_TO_RECEIVER), 0, 1, Aeads.defaultBackend(SUITE.aead()));
    }

    /**
     * Packets of two senders sharing the chain: one from counter 0 (a keepalive, data, a CLOSE),
     * one across the boundary between epochs 0 and 1, so the fuzzer starts near both.
     */
    private static Map<ByteBuffer, byte[]> sealGenuinePackets() {
        Map<ByteBuffer, byte[]> packets = new LinkedHashMap<>();
        SplittableRandom random = new SplittableRandom(9);
        long epochEnd = (1L << Protocol.EPOCH_SHIFT) - 2;
        for (long firstCounter : new long[] {0, epochEnd}) {
            try (Keypair sender = new Keypair(SUITE, SENDER_INDEX, RECEIVER_INDEX, SecretBytes.copyOf(CHAIN_TO_RECEIVER),
                    SecretBytes.copyOf(CHAIN_TO_SENDER), 0, 1, Aeads.defaultBackend(SUITE.aead()), firstCounter, Protocol.INTEGRITY_LIMIT)) {
                int[] lengths = {0, 20, 100};
                for (int i = 0; i < lengths.length; i++) {
                    int type = firstCounter == 0 && i == 2 ? MessageType.CLOSE.code() : MessageType.DATA.code();
                    byte[] plaintext = Seeds.bytes(random, lengths[i]);
                    byte[] packet = new byte[plaintext.length + Protocol.DATA_OVERHEAD];
                    System.arraycopy(plaintext, 0, packet, DataHeader.LENGTH, plaintext.length);
                    int length = sender.seal(0, MemorySegment.ofArray(packet), plaintext.length, type, 1_000_000_000L);
                    assertEquals(packet.length, length, "sealing a seed packet failed: " + Keypair.describe(length));
                    packets.put(ByteBuffer.wrap(packet), plaintext);
                }
            }
        }
        return packets;
    }

    static Stream<Arguments> headers() {
        List<byte[]> packets = genuinePackets();
        return Stream.of(
            Seeds.named("the header of a keepalive", Arrays.copyOf(packets.get(0), DataHeader.LENGTH)),
            Seeds.named("a whole CLOSE", packets.get(2)),
            Seeds.named("the header of the last packet of epoch 0", Arrays.copyOf(packets.get(4), DataHeader.LENGTH)),
            Seeds.named("a header cut short", Arrays.copyOf(packets.get(5), DataHeader.LENGTH - 1)));
    }

    static Stream<Arguments> packetSequences() {
        List<byte[]> packets = genuinePackets();
        byte[] tampered = packets.get(1).clone();
        tampered[tampered.length - 1] ^= 1;
        List<Arguments> seeds = new ArrayList<>();
        for (int i = 0; i < packets.size(); i++) {
            seeds.add(Seeds.named("genuine packet " + i, DatagramSequence.join(0, List.of(packets.get(i)))));
        }
        seeds.add(Seeds.named("every packet in order", DatagramSequence.join(1, packets)));
        seeds.add(Seeds.named("a replay", DatagramSequence.join(0, List.of(packets.get(1), packets.get(1)))));
        seeds.add(Seeds.named("a packet too late", DatagramSequence.join(3, List.of(packets.get(3)))));
        seeds.add(Seeds.named("a tampered tag", DatagramSequence.join(0, List.of(tampered))));
        return seeds.stream();
    }

    private static List<byte[]> genuinePackets() {
        List<byte[]> packets = new ArrayList<>();
        for (ByteBuffer packet : GENUINE.keySet()) {
            packets.add(packet.array().clone());
        }
        return packets;
    }

    private static byte[] filled(int value) {
        byte[] bytes = new byte[TrafficKeys.CHAIN_LENGTH];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
