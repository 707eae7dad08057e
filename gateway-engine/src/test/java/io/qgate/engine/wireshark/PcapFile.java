package io.qgate.engine.wireshark;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a classic pcap file of IPv4/UDP datagrams, so that a test can hand tshark exactly the
 * qgate datagrams it built. The format (pcap-savefile(5), {@code pcap/pcap.h}): a 24-byte global
 * header (magic {@code 0xa1b2c3d4}, version 2.4, snaplen, link type) and per packet a 16-byte
 * record header (seconds, microseconds, captured length, original length) and the bytes. The link
 * type is {@code LINKTYPE_RAW} (101, tcpdump.org link-layer header types): each record starts with
 * its IP header. Not thread-safe; one file per instance.
 */
public final class PcapFile {
    private static final int MAGIC = 0xa1b2c3d4;
    private static final int LINKTYPE_RAW = 101;
    private static final int SNAPLEN = 65_535;
    private static final int IPV4_HEADER = 20;
    private static final int UDP_HEADER = 8;
    /** IPPROTO_UDP, {@code netinet/in.h}. */
    private static final int PROTOCOL_UDP = 17;

    private final List<byte[]> records = new ArrayList<>();
    private final byte[] source;
    private final byte[] destination;
    private final int sourcePort;
    private final int destinationPort;

    /** Datagrams from {@code source:sourcePort} to {@code destination:destinationPort} (IPv4, 4 bytes each). */
    public PcapFile(byte[] source, int sourcePort, byte[] destination, int destinationPort) {
        this.source = source.clone();
        this.destination = destination.clone();
        this.sourcePort = sourcePort;
        this.destinationPort = destinationPort;
    }

    /** Adds a UDP datagram carrying {@code payload}, captured whole; returns its frame number (from 1). */
    public int add(byte[] payload) {
        return add(payload, payload.length);
    }

    /**
     * Adds a UDP datagram carrying {@code payload} of which only the first {@code capturedPayload}
     * bytes were captured (a snapshot length cut it short); returns its frame number (from 1).
     */
    public int add(byte[] payload, int capturedPayload) {
        int total = IPV4_HEADER + UDP_HEADER + payload.length;
        ByteBuffer packet = ByteBuffer.allocate(total).order(ByteOrder.BIG_ENDIAN);
        packet.put((byte) 0x45).put((byte) 0).putShort((short) total).putInt(0)
            .put((byte) 64).put((byte) PROTOCOL_UDP).putShort((short) 0).put(source).put(destination);
        packet.putShort(10, ipv4Checksum(packet.array()));
        packet.putShort((short) sourcePort).putShort((short) destinationPort)
            .putShort((short) (UDP_HEADER + payload.length)).putShort((short) 0) // checksum 0: none (RFC 768)
            .put(payload);
        int captured = IPV4_HEADER + UDP_HEADER + capturedPayload;
        ByteBuffer record = ByteBuffer.allocate(16 + captured).order(ByteOrder.LITTLE_ENDIAN);
        int second = records.size() + 1;
        record.putInt(second).putInt(0).putInt(captured).putInt(total).put(packet.array(), 0, captured);
        records.add(record.array());
        return records.size();
    }

    private static short ipv4Checksum(byte[] packet) {
        int sum = 0;
        for (int i = 0; i < IPV4_HEADER; i += 2) {
            sum += ((packet[i] & 0xFF) << 8) | (packet[i + 1] & 0xFF);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (short) ~sum;
    }

    /** Writes the file (global header and every record so far). */
    public void write(Path file) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(MAGIC).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(SNAPLEN).putInt(LINKTYPE_RAW);
        int size = 24 + records.stream().mapToInt(r -> r.length).sum();
        ByteBuffer out = ByteBuffer.allocate(size).put(header.array());
        records.forEach(out::put);
        Files.write(file, out.array());
    }
}
