package io.qgate.engine.wireshark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qgate.crypto.Backend;
import io.qgate.crypto.SecretBytes;
import io.qgate.engine.protocol.ConfirmPayload;
import io.qgate.engine.protocol.CookieReply;
import io.qgate.engine.protocol.ErrorCode;
import io.qgate.engine.protocol.Fragmenter;
import io.qgate.engine.protocol.HandshakeError;
import io.qgate.engine.protocol.HandshakeMessage;
import io.qgate.engine.protocol.Initiation;
import io.qgate.engine.protocol.MessageType;
import io.qgate.engine.protocol.Protocol;
import io.qgate.engine.protocol.ResponseBody;
import io.qgate.engine.protocol.Suite;
import io.qgate.engine.session.Keypair;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Lua dissector over a pcap this test writes itself from datagrams built by the protocol
 * classes, well-formed and broken. Needs tshark (no root); skipped with the reason elsewhere, and
 * fails instead under CI as root, where .ci/install-test-deps installs it.
 */
class WiresharkDissectorTest {
    private static final byte[] CLIENT = {10, 0, 0, 1};
    private static final byte[] GATEWAY = {10, 0, 0, 2};
    private static final int PORT = 51820;
    /** A port no Wireshark 4.0 dissector claims (47000, say, is HCrt's and would win over a heuristic). */
    private static final int OTHER_PORT = 41000;
    private static final int INITIATOR_INDEX = 0x11223344;
    private static final int RESPONDER_INDEX = 0x8899aabb;
    private static final List<String> FIELDS = List.of("qgate.type", "qgate.version", "qgate.sender_index",
        "qgate.receiver_index", "qgate.fragment_index", "qgate.fragment_count", "qgate.suite", "qgate.offered_suite",
        "qgate.counter", "qgate.epoch", "qgate.payload_length", "qgate.tag", "qgate.cookie", "qgate.error_code",
        "qgate.detail_bytes_needed", "_ws.malformed", "_ws.expert.message");

    @TempDir
    Path dir;
    private final Random random = new Random(20261122);

    @BeforeEach
    void needsTshark() {
        String missing = Tshark.missing();
        if (missing != null && System.getenv("CI") != null && "root".equals(System.getProperty("user.name"))) {
            throw new AssertionError("under CI as root this test must run, but: " + missing);
        }
        assumeTrue(missing == null, () -> "skipped: " + missing);
    }

    @Test
    void decodesTheFieldsOfEveryMessageTypeAsTheProtocolClassesWroteThem() throws Exception {
        PcapFile pcap = new PcapFile(CLIENT, 40000, GATEWAY, PORT);
        List<byte[]> initiation = Fragmenter.fragment(initiation(), Protocol.MAX_HANDSHAKE_DATAGRAM);
        List<byte[]> response = Fragmenter.fragment(response(), Protocol.MAX_HANDSHAKE_DATAGRAM);
        List<byte[]> confirm = Fragmenter.fragment(confirm(), Protocol.MAX_HANDSHAKE_DATAGRAM);
        assertEquals(2, initiation.size(), "an ML-KEM-768 initiation needs two fragments");
        initiation.forEach(pcap::add);
        response.forEach(pcap::add);
        confirm.forEach(pcap::add);
        byte[][] data;
        byte[] close;
        try (Keypair keypair = keypair()) {
            data = new byte[][] {seal(keypair, 84, MessageType.DATA), seal(keypair, 0, MessageType.DATA),
                seal(keypair, 1400, MessageType.DATA)};
            close = seal(keypair, 2, MessageType.CLOSE);
        }
        for (byte[] packet : data) {
            pcap.add(packet);
        }
        pcap.add(close);
        byte[] cookie = bytes(16);
        pcap.add(CookieReply.encode(INITIATOR_INDEX, cookie));
        pcap.add(new HandshakeError(ErrorCode.INITIATION_TOO_SHORT, INITIATOR_INDEX, new byte[] {0, 0, 0x0d, 0x05}).encode());
        List<Map<String, String>> rows = decode(pcap);

        assertEquals(initiation.size() + response.size() + confirm.size() + data.length + 3, rows.size());
        int frame = 0;
        for (int i = 0; i < initiation.size(); i++) {
            Map<String, String> row = rows.get(frame++);
            assertFields(row, "qgate.type", "1", "qgate.version", "1", "qgate.sender_index", "0x11223344",
                "qgate.receiver_index", "0x00000000", "qgate.fragment_index", Integer.toString(i), "qgate.fragment_count", "2");
            assertEquals(i == 0 ? "1" : "", row.get("qgate.suite"), "the chosen suite is in fragment 0");
            assertEquals(i == 0 ? "1,3" : "", row.get("qgate.offered_suite"), "the offered suites are in fragment 0");
        }
        for (int i = 0; i < response.size(); i++) {
            assertFields(rows.get(frame++), "qgate.type", "2", "qgate.sender_index", "0x8899aabb",
                "qgate.receiver_index", "0x11223344", "qgate.fragment_index", Integer.toString(i));
        }
        assertFields(rows.get(frame++), "qgate.type", "3", "qgate.sender_index", "0x11223344",
            "qgate.receiver_index", "0x8899aabb", "qgate.fragment_count", "1");
        int[] lengths = {84, 0, 1400};
        for (int i = 0; i < data.length; i++) {
            assertFields(rows.get(frame++), "qgate.type", "4", "qgate.receiver_index", "0x8899aabb",
                "qgate.counter", Integer.toString(i), "qgate.epoch", "0", "qgate.payload_length", Integer.toString(lengths[i]),
                "qgate.tag", HexFormat.of().formatHex(Arrays.copyOfRange(data[i], data[i].length - 16, data[i].length)));
        }
        assertFields(rows.get(frame++), "qgate.type", "7", "qgate.counter", "3", "qgate.payload_length", "2");
        assertFields(rows.get(frame++), "qgate.type", "5", "qgate.receiver_index", "0x11223344",
            "qgate.cookie", HexFormat.of().formatHex(cookie));
        assertFields(rows.get(frame++), "qgate.type", "6", "qgate.error_code", "6", "qgate.receiver_index", "0x11223344",
            "qgate.detail_bytes_needed", "3333");
        for (int i = 0; i < rows.size(); i++) {
            int number = i + 1;
            assertEquals("", rows.get(i).get("_ws.malformed"), () -> "frame " + number + " is well-formed: " + rows.get(number - 1));
        }
    }

    @Test
    void flagsTruncatedAndCorruptedDatagramsAsMalformedWithoutLuaErrors() throws Exception {
        byte[] data;
        byte[] close;
        try (Keypair keypair = keypair()) {
            data = seal(keypair, 84, MessageType.DATA);
            close = seal(keypair, 2, MessageType.CLOSE);
        }
        List<byte[]> initiation = Fragmenter.fragment(initiation(), Protocol.MAX_HANDSHAKE_DATAGRAM);
        byte[] confirm = Fragmenter.fragment(confirm(), Protocol.MAX_HANDSHAKE_DATAGRAM).getFirst();
        byte[] cookieReply = CookieReply.encode(INITIATOR_INDEX, bytes(16));
        byte[] error = new HandshakeError(ErrorCode.UNSUPPORTED_SUITE, INITIATOR_INDEX, new byte[] {1}).encode();

        Map<String, byte[]> broken = new LinkedHashMap<>();
        for (int length : new int[] {1, 2, 15, 16, 31}) {
            broken.put("DATA cut to " + length + " bytes", Arrays.copyOf(data, length));
        }
        for (int length : new int[] {3, 10, 15, 16}) {
            broken.put("INITIATION fragment cut to " + length + " bytes", Arrays.copyOf(initiation.getFirst(), length));
        }
        byte[] last = initiation.getLast();
        broken.put("last INITIATION fragment one byte short", Arrays.copyOf(last, last.length - 1));
        broken.put("CONFIRM one byte short", Arrays.copyOf(confirm, confirm.length - 1));
        broken.put("CONFIRM cut inside its sealed length", Arrays.copyOf(confirm, 18));
        broken.put("CLOSE one byte short", Arrays.copyOf(close, close.length - 1));
        broken.put("COOKIE_REPLY of 23 bytes", Arrays.copyOf(cookieReply, 23));
        broken.put("COOKIE_REPLY of 25 bytes", Arrays.copyOf(cookieReply, 25));
        broken.put("COOKIE_REPLY cut to 6 bytes", Arrays.copyOf(cookieReply, 6));
        broken.put("HANDSHAKE_ERROR without its detail", Arrays.copyOf(error, error.length - 1));
        broken.put("HANDSHAKE_ERROR cut to 5 bytes", Arrays.copyOf(error, 5));
        broken.put("HANDSHAKE_ERROR with a trailing byte", Arrays.copyOf(error, error.length + 1));
        broken.put("HANDSHAKE_ERROR with a 65-byte detail", with(Arrays.copyOf(error, 9 + 65), 8, 65));
        broken.put("HANDSHAKE_ERROR of undefined code 99", with(error, 3, 99));
        broken.put("unknown type 8", with(data, 0, 8));
        broken.put("type 0", with(data, 0, 0));
        broken.put("DATA of version 2", with(data, 1, 2));
        broken.put("DATA whose epoch is not counter >>> 22", with(data, 3, 1));
        broken.put("INITIATION fragment index 2 of 2", with(initiation.getFirst(), 14, 2));
        broken.put("INITIATION fragment count 0", with(initiation.getFirst(), 15, 0));
        broken.put("INITIATION fragment count 65", with(initiation.getFirst(), 15, 65));
        broken.put("INITIATION with a receiver index", with(initiation.getFirst(), 11, 1));
        broken.put("INITIATION with sender index 0", with(with(with(with(initiation.getFirst(), 4, 0), 5, 0), 6, 0), 7, 0));
        broken.put("INITIATION fragment 0 not at offset 0", with(initiation.getFirst(), 13, 1));
        broken.put("INITIATION message length 0", with(with(initiation.getFirst(), 2, 0), 3, 0));
        broken.put("CONFIRM with receiver index 0", with(with(with(with(confirm, 8, 0), 9, 0), 10, 0), 11, 0));
        broken.put("CONFIRM longer than 1200 bytes", Arrays.copyOf(confirm, 1201));
        broken.put("COOKIE_REPLY with a reserved byte set", with(cookieReply, 3, 1));
        broken.put("COOKIE_REPLY to receiver index 0", with(with(with(with(cookieReply, 4, 0), 5, 0), 6, 0), 7, 0));
        broken.put("CLOSE carrying 3 bytes", Arrays.copyOf(close, close.length + 1));

        PcapFile pcap = new PcapFile(CLIENT, 40000, GATEWAY, PORT);
        broken.values().forEach(pcap::add);
        pcap.add(data, 20); // a snapshot length cut the capture short: 20 of the 116 bytes
        List<String> names = new java.util.ArrayList<>(broken.keySet());
        names.add("DATA captured with a snapshot length of 20 bytes");
        Tshark.Decoded decoded = decode(pcap, List.of());

        assertEquals(List.of(), decoded.luaComplaints(), "no Lua error, in the output or on standard error");
        assertEquals(names.size(), decoded.rows().size());
        for (int i = 0; i < names.size(); i++) {
            Map<String, String> row = decoded.rows().get(i);
            String name = names.get(i);
            assertFalse(row.get("_ws.malformed").isEmpty(), () -> name + " is flagged as malformed: " + row);
            assertFalse(row.get("_ws.expert.message").isEmpty(), () -> name + " has an expert message saying why: " + row);
            assertFalse(row.get("qgate.type").isEmpty(), () -> name + " is decoded as qgate: " + row);
        }
    }

    @Test
    void decodesAnotherPortOnlyWhenThePortPreferenceOrTheHeuristicSaysSo() throws Exception {
        byte[] data;
        try (Keypair keypair = keypair()) {
            data = seal(keypair, 84, MessageType.DATA);
        }
        PcapFile pcap = new PcapFile(CLIENT, 40000, GATEWAY, OTHER_PORT);
        pcap.add(data);
        pcap.add(new byte[] {0x04, 0x01, 0x00}); // not qgate-shaped: the heuristic leaves it alone

        List<Map<String, String>> byDefault = decode(pcap, List.of()).rows();
        assertEquals("", byDefault.get(0).get("qgate.type"), "port 41000 is not qgate's by default");
        List<Map<String, String>> byPort = decode(pcap, List.of("-o", "qgate.port:" + OTHER_PORT)).rows();
        assertEquals("4", byPort.get(0).get("qgate.type"), "the port preference moves the dissector");
        assertEquals("4", byPort.get(1).get("qgate.type"), "on its port every datagram is qgate, even a broken one");
        List<Map<String, String>> byHeuristic = decode(pcap, List.of("-o", "qgate.heuristic:TRUE")).rows();
        assertEquals("4", byHeuristic.get(0).get("qgate.type"), "the heuristic finds a well-formed DATA packet");
        assertEquals("84", byHeuristic.get(0).get("qgate.payload_length"));
        assertEquals("", byHeuristic.get(1).get("qgate.type"), "the heuristic refuses a 3-byte datagram");
    }

    private List<Map<String, String>> decode(PcapFile pcap) throws Exception {
        Tshark.Decoded decoded = decode(pcap, List.of());
        assertEquals(List.of(), decoded.luaComplaints(), "no Lua error, in the output or on standard error");
        return decoded.rows();
    }

    private Tshark.Decoded decode(PcapFile pcap, List<String> options) throws Exception {
        Path file = Files.createTempFile(dir, "qgate", ".pcap");
        pcap.write(file);
        return Tshark.decode(file, options, FIELDS);
    }

    private static void assertFields(Map<String, String> row, String... expected) {
        for (int i = 0; i < expected.length; i += 2) {
            assertEquals(expected[i + 1], row.get(expected[i]), expected[i] + " in " + row);
        }
    }

    private HandshakeMessage initiation() {
        Initiation body = new Initiation(new byte[16], 1_795_305_600_000L, bytes(32), Initiation.FLAG_MUTUAL, Suite.DEFAULT,
            new byte[] {1, 3}, bytes(Suite.DEFAULT.kem().publicKeyLength()), 200);
        return new HandshakeMessage(MessageType.INITIATION, INITIATOR_INDEX, 0, body.encode());
    }

    private HandshakeMessage response() {
        byte[] body = new ResponseBody(bytes(32), bytes(Suite.DEFAULT.kem().ciphertextLength()), bytes(5000)).encode();
        return new HandshakeMessage(MessageType.RESPONSE, RESPONDER_INDEX, INITIATOR_INDEX, body);
    }

    private HandshakeMessage confirm() {
        return new HandshakeMessage(MessageType.CONFIRM, INITIATOR_INDEX, RESPONDER_INDEX, ConfirmPayload.confirmBody(bytes(600)));
    }

    private Keypair keypair() {
        return new Keypair(Suite.DEFAULT, INITIATOR_INDEX, RESPONDER_INDEX, SecretBytes.copyOf(bytes(32)),
            SecretBytes.copyOf(bytes(32)), System.nanoTime(), 1, Backend.JDK);
    }

    private static byte[] seal(Keypair keypair, int plaintextLength, MessageType type) {
        byte[] packet = new byte[Protocol.DATA_OVERHEAD + plaintextLength];
        int length = keypair.seal(0, MemorySegment.ofArray(packet), plaintextLength, type.code(), System.nanoTime());
        assertEquals(packet.length, length, () -> "sealed: " + Keypair.describe(length));
        return packet;
    }

    private byte[] bytes(int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    private static byte[] with(byte[] datagram, int offset, int value) {
        byte[] copy = datagram.clone();
        copy[offset] = (byte) value;
        return copy;
    }
}
