package io.qgate.ffm.linux;

import static io.qgate.ffm.linux.LinuxTestSupport.assumeNetAdminAndTun;
import static io.qgate.ffm.linux.LinuxTestSupport.descriptorsOn;
import static io.qgate.ffm.linux.LinuxTestSupport.ip;
import static io.qgate.ffm.linux.LinuxTestSupport.randomName;
import static io.qgate.ffm.linux.LinuxTestSupport.randomSubnet30;
import static io.qgate.ffm.linux.LinuxTestSupport.withoutNetAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class TunDeviceTest {
    private static final String TUN = TunDevice.CLONE_DEVICE;

    @Test
    void rejectsANameLongerThan15CharactersBeforeOpeningAnything() {
        long before = descriptorsOn(TUN);
        var e = assertThrows(IllegalArgumentException.class, () -> TunDevice.open("qgt-0123456789ab", 1, false));
        assertTrue(e.getMessage().contains("at most 15"), e.getMessage());
        assertEquals(before, descriptorsOn(TUN));
    }

    @Test
    void rejectsANameWithASlashOrSpaceAndAnEmptyName() {
        assertThrows(IllegalArgumentException.class, () -> TunDevice.open("qg/0", 1, false));
        assertThrows(IllegalArgumentException.class, () -> TunDevice.open("qg 0", 1, false));
        assertThrows(IllegalArgumentException.class, () -> TunDevice.open("", 1, false));
    }

    @Test
    void rejectsQueueCountsOutside1To256() {
        assertThrows(IllegalArgumentException.class, () -> TunDevice.open("qg%d", 0, false));
        var e = assertThrows(IllegalArgumentException.class, () -> TunDevice.open("qg%d", 257, false));
        assertTrue(e.getMessage().contains("257"), e.getMessage());
    }

    @Test
    void aMissingCloneDeviceSaysToLoadTheTunModule() {
        var e = assertThrows(LinuxException.class,
            () -> TunDevice.open("/nonexistent/qgt-net-tun", randomName(), 1, false));
        assertEquals("open", e.call());
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(e.getMessage().contains("modprobe tun"), e.getMessage());
    }

    @Test
    void opensANamedTwoQueueDeviceThatDisappearsOnClose() {
        assumeNetAdminAndTun("creating a TUN device");
        String name = randomName();
        long before = descriptorsOn(TUN);
        TunDevice tun = TunDevice.open(name, 2, false);
        try {
            assertEquals(name, tun.name());
            assertEquals(2, tun.queues());
            assertNotEquals(tun.fd(0), tun.fd(1));
            assertEquals(before + 2, descriptorsOn(TUN));
            assertEquals(0, tun.offloads());
            assertEquals("none", tun.offloadNames());
            String link = ip("-j", "-d", "link", "show", "dev", name);
            assertTrue(link != null && link.contains("\"ifindex\":" + tun.index() + ","), link);
            assertTrue(link.contains("\"type\":\"tun\""), link);
            assertTrue(link.contains("\"pi\":false"), link);
            assertTrue(link.contains("\"vnet_hdr\":false"), link);
            assertTrue(link.contains("\"multi_queue\":true"), link);
            assertTrue(link.contains("\"numqueues\":2"), link);
            assertTrue(link.contains("\"persist\":false"), link);
        } finally {
            tun.close();
        }
        assertEquals(before, descriptorsOn(TUN));
        assertNull(ip("link", "show", "dev", name), "the device is gone after close");
        tun.close();
        assertEquals(before, descriptorsOn(TUN));
    }

    @Test
    void aNamePatternBecomesTheNameTheKernelChose() {
        assumeNetAdminAndTun("creating a TUN device");
        String prefix = "qgt" + String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
        try (TunDevice tun = TunDevice.open(prefix + "%d", 2, false)) {
            assertTrue(tun.name().matches(prefix + "[0-9]+"), tun.name());
            assertEquals(tun.index(), InterfaceNames.index(tun.name()));
            String link = ip("-j", "-d", "link", "show", "dev", tun.name());
            assertTrue(link != null && link.contains("\"numqueues\":2"), link);
        }
    }

    @Test
    void aVnetHeaderDeviceReportsTheOffloadsTheKernelAccepted() {
        assumeNetAdminAndTun("creating a TUN device");
        try (TunDevice tun = TunDevice.open(randomName(), 1, true)) {
            assertTrue(tun.vnetHeader());
            int offloads = tun.offloads();
            int all = TunDevice.TUN_F_CSUM | TunDevice.TUN_F_TSO4 | TunDevice.TUN_F_TSO6;
            assertTrue(Arrays.asList(all | TunDevice.TUN_F_USO4 | TunDevice.TUN_F_USO6, all, TunDevice.TUN_F_CSUM, 0)
                .contains(offloads), "offloads 0x" + Integer.toHexString(offloads));
            assertEquals((offloads & TunDevice.TUN_F_TSO4) != 0, tun.tso());
            assertEquals((offloads & TunDevice.TUN_F_USO4) != 0, tun.uso());
            // TSO has been in TUN since 2.6.27 and USO since 6.2: this kernel must accept both.
            if (kernelAtLeast(6, 2)) {
                assertTrue(tun.tso() && tun.uso(), "offloads 0x" + Integer.toHexString(offloads));
                assertEquals("csum, tso4, tso6, uso4, uso6", tun.offloadNames());
            }
            String link = ip("-j", "-d", "link", "show", "dev", tun.name());
            assertTrue(link != null && link.contains("\"vnet_hdr\":true"), link);
        }
    }

    @Test
    void attachingToAnInterfaceThatIsNoTunDeviceFailsInTunsetiffWithEinval() {
        assumeNetAdminAndTun("TUNSETIFF");
        long before = descriptorsOn(TUN);
        var e = assertThrows(LinuxException.class, () -> TunDevice.open("lo", 2, false));
        assertEquals("ioctl(TUNSETIFF)", e.call());
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("lo"), e.getMessage());
        assertEquals(before, descriptorsOn(TUN), "the queue opened before the failure is closed");
    }

    @Test
    void creatingWithoutCapNetAdminFailsWithEpermAndSaysWhatIsNeeded() throws Exception {
        assumeNetAdminAndTun("dropping CAP_NET_ADMIN from one thread");
        long before = descriptorsOn(TUN);
        String name = randomName();
        Throwable thrown = withoutNetAdmin(() -> TunDevice.open(name, 1, false).close());
        LinuxException e = assertInstanceOf(LinuxException.class, thrown);
        assertEquals("ioctl(TUNSETIFF)", e.call());
        assertEquals(Errno.EPERM, e.errno());
        assertTrue(e.getMessage().contains("CAP_NET_ADMIN"), e.getMessage());
        assertEquals(before, descriptorsOn(TUN));
        assertNull(ip("link", "show", "dev", name));
    }

    @Test
    void aUdpDatagramToThePeerAddressIsReadFromTheTunQueueAsIpv4() throws Exception {
        assumeNetAdminAndTun("a TUN round trip");
        byte[] payload = "qgate tun round trip".getBytes(StandardCharsets.US_ASCII);
        try (TunDevice tun = TunDevice.open(randomName(), 1, false); Arena arena = Arena.ofConfined()) {
            MemorySegment packet = sendToPeerAndRead(tun, payload, arena);
            assertEquals(4, (packet.get(ValueLayout.JAVA_BYTE, 0) >> 4) & 0xf, "IP version");
            assertEquals(17, packet.get(ValueLayout.JAVA_BYTE, 9), "protocol UDP");
            int headerLength = (packet.get(ValueLayout.JAVA_BYTE, 0) & 0xf) * 4;
            assertEquals(9, Short.toUnsignedInt(packet.get(BIG_ENDIAN_SHORT, headerLength + 2)), "destination port");
            byte[] received = packet.asSlice(headerLength + 8).toArray(ValueLayout.JAVA_BYTE);
            assertEquals(new String(payload, StandardCharsets.US_ASCII), new String(received, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aDatagramReadFromATwoQueueVnetDeviceStartsWithAVirtioNetHeaderWithoutGso() throws Exception {
        assumeNetAdminAndTun("a TUN round trip");
        byte[] payload = new byte[100];
        try (TunDevice tun = TunDevice.open(randomName(), 2, true); Arena arena = Arena.ofConfined()) {
            MemorySegment frame = sendToPeerAndRead(tun, payload, arena);
            assertEquals(0, frame.get(ValueLayout.JAVA_BYTE, 1), "gso_type NONE for one small datagram");
            assertEquals(TunDevice.VNET_HDR_SIZE + 20 + 8 + payload.length, frame.byteSize());
            assertEquals(17, frame.get(ValueLayout.JAVA_BYTE, TunDevice.VNET_HDR_SIZE + 9), "protocol UDP");
        }
    }

    /**
     * Puts x.1/30 on {@code tun}, brings it up, sends {@code payload} from a Java socket to x.2
     * port 9 and returns the frame read from one of the device's queues (vnet header included).
     */
    private static MemorySegment sendToPeerAndRead(TunDevice tun, byte[] payload, Arena arena) throws Exception {
        byte[] local = randomSubnet30(1);
        byte[] peer = local.clone();
        peer[3]++;
        try (Rtnetlink netlink = Rtnetlink.open(); DatagramSocket socket = new DatagramSocket()) {
            netlink.addAddress(tun.index(), InetAddress.getByAddress(local), 30);
            netlink.setLinkUp(tun.index(), true);
            socket.send(new DatagramPacket(payload, payload.length, new InetSocketAddress(InetAddress.getByAddress(peer), 9)));
        }
        int[] fds = new int[tun.queues()];
        for (int q = 0; q < fds.length; q++) {
            fds[q] = tun.fd(q);
        }
        return readPacketTo(fds, tun.vnetHeader() ? TunDevice.VNET_HDR_SIZE : 0, peer, arena, 2_000);
    }

    @Test
    void anIpv4PacketWrittenWithAVnetHeaderReachesALocalUdpSocket() throws Exception {
        assumeNetAdminAndTun("writing to a TUN device");
        byte[] local = randomSubnet30(1);
        byte[] peer = local.clone();
        peer[3]++;
        byte[] payload = "written into the tun queue".getBytes(StandardCharsets.US_ASCII);
        try (TunDevice tun = TunDevice.open(randomName(), 2, true);
             Rtnetlink netlink = Rtnetlink.open();
             Arena arena = Arena.ofConfined()) {
            netlink.addAddress(tun.index(), InetAddress.getByAddress(local), 30);
            netlink.setLinkUp(tun.index(), true);
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByAddress(local), 0))) {
                socket.setSoTimeout(2_000);
                MemorySegment frame = arena.allocate(TunDevice.VNET_HDR_SIZE + 28 + payload.length);
                // virtio_net_hdr all zero: no checksum offload, gso_type NONE.
                writeIpv4Udp(frame.asSlice(TunDevice.VNET_HDR_SIZE), peer, local, 40000, socket.getLocalPort(), payload);
                assertEquals(frame.byteSize(), Fd.write(tun.fd(1), frame, frame.byteSize()));
                DatagramPacket received = new DatagramPacket(new byte[256], 256);
                socket.receive(received);
                assertEquals(new String(payload, StandardCharsets.US_ASCII),
                    new String(received.getData(), 0, received.getLength(), StandardCharsets.US_ASCII));
                assertEquals(InetAddress.getByAddress(peer), received.getAddress());
            }
        }
    }

    private static final ValueLayout.OfShort BIG_ENDIAN_SHORT =
        ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /**
     * Reads from whichever queue is ready (skipping other packets, such as IPv6 router
     * solicitations) until an IPv4 packet to {@code destination} arrives after {@code headerSize}
     * bytes of vnet header; returns the whole frame, header included.
     */
    private static MemorySegment readPacketTo(int[] fds, int headerSize, byte[] destination, Arena arena,
                                              int timeoutMillis) throws Exception {
        MemorySegment buffer = arena.allocate(65_536 + headerSize);
        MemorySegment pollfds = arena.allocate(Fd.POLLFD_SIZE * fds.length);
        for (int i = 0; i < fds.length; i++) {
            Fd.nonBlocking(fds[i], true);
            pollfds.set(ValueLayout.JAVA_INT, i * Fd.POLLFD_SIZE, fds[i]);
            pollfds.set(ValueLayout.JAVA_SHORT, i * Fd.POLLFD_SIZE + 4, Fd.POLLIN);
        }
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        for (int reads = 0; reads < 1_000; reads++) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                break;
            }
            if (Fd.poll(pollfds, fds.length, (int) left) <= 0) {
                continue;
            }
            for (int i = 0; i < fds.length; i++) {
                if ((pollfds.get(ValueLayout.JAVA_SHORT, i * Fd.POLLFD_SIZE + 6) & Fd.POLLIN) == 0) {
                    continue;
                }
                long n = Fd.read(fds[i], buffer, buffer.byteSize());
                if (n >= headerSize + 20 && (buffer.get(ValueLayout.JAVA_BYTE, headerSize) >> 4 & 0xf) == 4
                    && Arrays.equals(buffer.asSlice(headerSize + 16, 4).toArray(ValueLayout.JAVA_BYTE), destination)) {
                    return buffer.asSlice(0, n);
                }
            }
        }
        throw new AssertionError("no IPv4 packet to " + InetAddress.getByAddress(destination) + " within " + timeoutMillis + " ms");
    }

    /** An IPv4 header (checksummed) and UDP header (checksum 0, allowed over IPv4) with {@code payload}. */
    private static void writeIpv4Udp(MemorySegment at, byte[] source, byte[] destination, int sourcePort,
                                     int destinationPort, byte[] payload) {
        int total = 28 + payload.length;
        at.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x45);
        at.set(BIG_ENDIAN_SHORT, 2, (short) total);
        at.set(ValueLayout.JAVA_BYTE, 8, (byte) 64);
        at.set(ValueLayout.JAVA_BYTE, 9, (byte) 17);
        MemorySegment.copy(source, 0, at, ValueLayout.JAVA_BYTE, 12, 4);
        MemorySegment.copy(destination, 0, at, ValueLayout.JAVA_BYTE, 16, 4);
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += Short.toUnsignedInt(at.get(BIG_ENDIAN_SHORT, i));
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        at.set(BIG_ENDIAN_SHORT, 10, (short) ~sum);
        at.set(BIG_ENDIAN_SHORT, 20, (short) sourcePort);
        at.set(BIG_ENDIAN_SHORT, 22, (short) destinationPort);
        at.set(BIG_ENDIAN_SHORT, 24, (short) (8 + payload.length));
        MemorySegment.copy(payload, 0, at, ValueLayout.JAVA_BYTE, 28, payload.length);
    }

    private static boolean kernelAtLeast(int major, int minor) {
        String[] parts = System.getProperty("os.version").split("[.-]");
        int actualMajor = Integer.parseInt(parts[0]);
        int actualMinor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        return actualMajor > major || actualMajor == major && actualMinor >= minor;
    }
}
