package io.qgate.ffm.linux;

import static io.qgate.ffm.linux.LinuxTestSupport.assumeNetAdminAndTun;
import static io.qgate.ffm.linux.LinuxTestSupport.ip;
import static io.qgate.ffm.linux.LinuxTestSupport.openDescriptors;
import static io.qgate.ffm.linux.LinuxTestSupport.randomName;
import static io.qgate.ffm.linux.LinuxTestSupport.randomSubnet30;
import static io.qgate.ffm.linux.LinuxTestSupport.withoutNetAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RtnetlinkTest {
    @Test
    void findsTheIndexOfLoopback() {
        try (Rtnetlink netlink = Rtnetlink.open()) {
            assertEquals(InterfaceNames.index("lo"), netlink.linkIndex("lo"));
        }
    }

    @Test
    void anAbsentInterfaceIsNamedInTheError() {
        String name = randomName();
        try (Rtnetlink netlink = Rtnetlink.open()) {
            var e = assertThrows(LinuxException.class, () -> netlink.linkIndex(name));
            assertEquals("rtnetlink RTM_GETLINK", e.call());
            assertEquals(Errno.ENODEV, e.errno());
            assertTrue(e.getMessage().contains("there is no interface named " + name), e.getMessage());
        }
    }

    @Test
    void readsLoopbackMtuStateAndAddresses() throws Exception {
        try (Rtnetlink netlink = Rtnetlink.open()) {
            int lo = netlink.linkIndex("lo");
            assertEquals(Integer.parseInt(Files.readString(Path.of("/sys/class/net/lo/mtu")).trim()), netlink.mtu(lo));
            assertTrue(netlink.isUp(lo));
            List<LinkAddress> addresses = netlink.addresses(lo);
            assertTrue(addresses.contains(new LinkAddress(lo, InetAddress.getByName("127.0.0.1"), 8, addresses.stream()
                .filter(a -> a.address().getHostAddress().equals("127.0.0.1")).findFirst().orElseThrow().flags())),
                addresses.toString());
            assertTrue(addresses.stream().allMatch(a -> a.index() == lo));
        }
    }

    @Test
    void rejectsBadArgumentsBeforeAskingTheKernel() throws Exception {
        InetAddress v4 = InetAddress.getByName("198.18.0.0");
        InetAddress v6 = InetAddress.getByName("fd00::");
        try (Rtnetlink netlink = Rtnetlink.open()) {
            assertThrows(IllegalArgumentException.class, () -> netlink.addAddress(1, v4, 33));
            assertThrows(IllegalArgumentException.class, () -> netlink.addAddress(1, v6, 129));
            assertThrows(IllegalArgumentException.class, () -> netlink.addAddress(1, v6, -1));
            assertThrows(IllegalArgumentException.class, () -> netlink.addAddress(0, v4, 24));
            assertThrows(IllegalArgumentException.class, () -> netlink.addAddress(1, null, 24));
            var e = assertThrows(IllegalArgumentException.class,
                () -> netlink.addRoute(1, InetAddress.getByName("198.18.0.1"), 24));
            assertTrue(e.getMessage().contains("give the network address"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> netlink.addRoute(1, InetAddress.getByName("fd00::1"), 64));
            assertThrows(IllegalArgumentException.class, () -> netlink.setMtu(1, 0));
            assertThrows(IllegalArgumentException.class, () -> netlink.setLinkUp(-3, true));
            assertThrows(IllegalArgumentException.class, () -> netlink.linkIndex("qgt-name-too-long"));
        }
    }

    @Test
    void closeReleasesTheSocketAndIsIdempotent() {
        Set<String> before = sockets();
        Rtnetlink netlink = Rtnetlink.open();
        Set<String> opened = sockets();
        opened.removeAll(before);
        assertEquals(1, opened.size(), "one new socket: " + opened);
        netlink.close();
        netlink.close();
        assertFalse(sockets().containsAll(opened), "the socket is closed");
        assertThrows(IllegalStateException.class, () -> netlink.linkIndex("lo"));
    }

    @Test
    void configuresMtuLinkStateAddressesAndRoutesOfATunDevice() throws Exception {
        assumeNetAdminAndTun("configuring a TUN device over rtnetlink");
        Prefixes p = Prefixes.random();
        try (TunDevice tun = TunDevice.open(randomName(), 1, false); Rtnetlink netlink = Rtnetlink.open()) {
            int index = tun.index();
            assertEquals(index, netlink.linkIndex(tun.name()));
            assertFalse(netlink.isUp(index));

            netlink.setMtu(index, 1420);
            assertEquals(1420, netlink.mtu(index));
            assertTrue(ip("-j", "link", "show", "dev", tun.name()).contains("\"mtu\":1420"));

            netlink.setLinkUp(index, true);
            assertTrue(netlink.isUp(index));
            assertTrue(ip("-j", "link", "show", "dev", tun.name()).contains("\"UP\""));

            netlink.addAddress(index, p.v4Local, 30);
            boolean v6 = ipv6Enabled(tun.name());
            if (v6) {
                netlink.addAddress(index, p.v6Local, 64);
            }
            List<LinkAddress> addresses = netlink.addresses(index);
            assertTrue(addresses.stream().anyMatch(a -> a.address().equals(p.v4Local) && a.prefixLength() == 30),
                addresses.toString());
            String shown = ip("-j", "addr", "show", "dev", tun.name());
            assertTrue(shown.contains("\"local\":\"" + p.v4Local.getHostAddress() + "\",\"prefixlen\":30"), shown);
            if (v6) {
                LinkAddress six = addresses.stream().filter(a -> a.address().equals(p.v6Local)).findFirst()
                    .orElseThrow(() -> new AssertionError(addresses.toString()));
                assertEquals(64, six.prefixLength());
                assertTrue((six.flags() & Rtnetlink.IFA_F_NODAD) != 0, "NODAD set: flags 0x" + Integer.toHexString(six.flags()));
                assertFalse(ip("-j", "-6", "addr", "show", "dev", tun.name()).contains("tentative"),
                    "a NODAD address is usable at once");
            }

            netlink.addRoute(index, p.v4Route, 24);
            String routes = ip("-j", "route", "show", "dev", tun.name());
            assertTrue(routes.contains("\"dst\":\"" + p.v4Route.getHostAddress() + "/24\""), routes);
            assertTrue(routes.contains("\"scope\":\"link\""), routes);
            if (v6) {
                netlink.addRoute(index, p.v6Route, 64);
                String routes6 = ip("-j", "-6", "route", "show", "dev", tun.name());
                assertTrue(routeDestinations(routes6).contains(p.v6Route.getHostAddress() + "/64"), routes6);
            }

            netlink.setLinkUp(index, false);
            assertFalse(netlink.isUp(index));
        }
    }

    @Test
    void addingAnAddressOrRouteTwiceFailsWithEexistNamingTheOperationAddressAndDevice() throws Exception {
        assumeNetAdminAndTun("adding addresses over rtnetlink");
        Prefixes p = Prefixes.random();
        try (TunDevice tun = TunDevice.open(randomName(), 1, false); Rtnetlink netlink = Rtnetlink.open()) {
            netlink.addAddress(tun.index(), p.v4Local, 30);
            var e = assertThrows(LinuxException.class, () -> netlink.addAddress(tun.index(), p.v4Local, 30));
            assertEquals("rtnetlink RTM_NEWADDR", e.call());
            assertEquals(Errno.EEXIST, e.errno());
            assertTrue(e.getMessage().contains(p.v4Local.getHostAddress() + "/30 on " + tun.name()), e.getMessage());
            var down = assertThrows(LinuxException.class, () -> netlink.addRoute(tun.index(), p.v4Route, 24));
            assertEquals(Errno.ENETDOWN, down.errno());
            assertTrue(down.getMessage().contains("the kernel says: "), down.getMessage());
            netlink.setLinkUp(tun.index(), true);
            netlink.addRoute(tun.index(), p.v4Route, 24);
            var route = assertThrows(LinuxException.class, () -> netlink.addRoute(tun.index(), p.v4Route, 24));
            assertEquals("rtnetlink RTM_NEWROUTE", route.call());
            assertEquals(Errno.EEXIST, route.errno());

            netlink.deleteRoute(tun.index(), p.v4Route, 24);
            String routes = ip("-j", "route", "show", "dev", tun.name());
            assertFalse(routes.contains(p.v4Route.getHostAddress() + "/24"), "deleted: " + routes);
            var gone = assertThrows(LinuxException.class, () -> netlink.deleteRoute(tun.index(), p.v4Route, 24));
            assertEquals("rtnetlink RTM_DELROUTE", gone.call());
            assertEquals(Errno.ESRCH, gone.errno());
        }
    }

    @Test
    void anMtuBelowTheDevicesMinimumFailsWithEinvalAndTheKernelsReason() {
        assumeNetAdminAndTun("setting an MTU over rtnetlink");
        try (TunDevice tun = TunDevice.open(randomName(), 1, false); Rtnetlink netlink = Rtnetlink.open()) {
            var e = assertThrows(LinuxException.class, () -> netlink.setMtu(tun.index(), 20));
            assertEquals("rtnetlink RTM_NEWLINK", e.call());
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(e.getMessage().contains("mtu 20 on " + tun.name()), e.getMessage());
            assertTrue(e.getMessage().contains("the kernel says:"), e.getMessage());
            assertEquals(1500, netlink.mtu(tun.index()));
        }
    }

    @Test
    void deleteLinkRemovesTheDevice() {
        assumeNetAdminAndTun("deleting a link over rtnetlink");
        String name = randomName();
        try (TunDevice tun = TunDevice.open(name, 1, false); Rtnetlink netlink = Rtnetlink.open()) {
            netlink.deleteLink(tun.index());
            assertNull(ip("link", "show", "dev", name));
            var e = assertThrows(LinuxException.class, () -> netlink.linkIndex(name));
            assertEquals(Errno.ENODEV, e.errno());
            var again = assertThrows(LinuxException.class, () -> netlink.deleteLink(tun.index()));
            assertEquals("rtnetlink RTM_DELLINK", again.call());
            assertEquals(Errno.ENODEV, again.errno());
        }
    }

    @Test
    void changingALinkWithoutCapNetAdminFailsWithEperm() throws Exception {
        assumeNetAdminAndTun("dropping CAP_NET_ADMIN from one thread");
        try (TunDevice tun = TunDevice.open(randomName(), 1, false)) {
            Throwable thrown = withoutNetAdmin(() -> {
                try (Rtnetlink netlink = Rtnetlink.open()) {
                    netlink.setMtu(tun.index(), 1400);
                }
            });
            LinuxException e = assertInstanceOf(LinuxException.class, thrown);
            assertEquals("rtnetlink RTM_NEWLINK", e.call());
            assertEquals(Errno.EPERM, e.errno());
            assertTrue(e.getMessage().contains("CAP_NET_ADMIN"), e.getMessage());
            try (Rtnetlink netlink = Rtnetlink.open()) {
                assertEquals(1500, netlink.mtu(tun.index()));
            }
        }
    }

    @Test
    void aReplyMessageLongerThanItsDatagramIsRejected() {
        MemorySegment datagram = datagram(message(24, 99, 0, 7, new byte[8]));
        datagram.set(ValueLayout.JAVA_INT_UNALIGNED, 0, 64);
        var e = assertThrows(IllegalStateException.class, () -> parse(datagram, 7, null));
        assertTrue(e.getMessage().contains("malformed netlink message of length 64"), e.getMessage());
    }

    @Test
    void aReplyMessageShorterThanItsHeaderIsRejected() {
        MemorySegment datagram = datagram(message(24, 99, 0, 7, new byte[8]));
        datagram.set(ValueLayout.JAVA_INT_UNALIGNED, 0, 12);
        assertThrows(IllegalStateException.class, () -> parse(datagram, 7, null));
    }

    @Test
    void anAttributeRunningPastItsMessageIsRejected() {
        MemorySegment message = datagram(message(16 + 8, 99, 0, 7, new byte[] {12, 0, 1, 0, 1, 2, 3, 4}));
        var e = assertThrows(IllegalStateException.class, () -> Rtnetlink.attribute(message, 16, 1));
        assertTrue(e.getMessage().contains("malformed netlink attribute of length 12"), e.getMessage());
        message.set(ValueLayout.JAVA_SHORT_UNALIGNED, 16, (short) 3);
        assertThrows(IllegalStateException.class, () -> Rtnetlink.attribute(message, 16, 1));
        message.set(ValueLayout.JAVA_SHORT_UNALIGNED, 16, (short) 8);
        assertEquals(16, Rtnetlink.attribute(message, 16, 1));
        assertEquals(-1, Rtnetlink.attribute(message, 16, 2));
    }

    @Test
    void anErrorAnswerBecomesALinuxExceptionWithTheKernelsText() {
        // nlmsgerr: error -EEXIST, the request's header (capped), then NLMSGERR_ATTR_MSG "File exists".
        byte[] text = "File exists\0".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer payload = ByteBuffer.allocate(4 + 16 + 4 + 12).order(ByteOrder.nativeOrder());
        payload.putInt(-Errno.EEXIST).put(new byte[16]).putShort((short) (4 + text.length)).putShort((short) 1).put(text);
        MemorySegment datagram = datagram(message(16 + payload.capacity(), 2, 0x100 | 0x200, 7, payload.array()));
        var e = assertThrows(LinuxException.class, () -> parse(datagram, 7, null));
        assertEquals("rtnetlink TEST", e.call());
        assertEquals(Errno.EEXIST, e.errno());
        assertTrue(e.getMessage().contains("(context): EEXIST (errno 17): the kernel says: File exists"), e.getMessage());
    }

    @Test
    void messagesOfOtherRequestsAreSkippedUntilThisRequestsAck() {
        List<Integer> seen = new ArrayList<>();
        byte[] other = message(24, 16, 0, 6, new byte[8]);
        byte[] mine = message(24, 16, 0, 7, new byte[8]);
        byte[] ack = message(20, 2, 0, 7, new byte[4]);
        assertTrue(parse(datagram(other, mine, ack), 7, (message, type) -> seen.add(type)));
        assertEquals(List.of(16), seen);
        assertFalse(parse(datagram(mine), 7, (message, type) -> seen.add(type)), "no ack yet");
    }

    private static boolean parse(MemorySegment datagram, int seq, Rtnetlink.ReplyHandler handler) {
        return Rtnetlink.parseDatagram(datagram, seq, "rtnetlink TEST", () -> "context", handler);
    }

    /** One netlink message: header (length, type, flags, seq, pid 0) and payload, in host order. */
    private static byte[] message(int length, int type, int flags, int seq, byte[] payload) {
        ByteBuffer buffer = ByteBuffer.allocate(16 + payload.length).order(ByteOrder.nativeOrder());
        buffer.putInt(length).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0).put(payload);
        return buffer.array();
    }

    private static MemorySegment datagram(byte[]... messages) {
        int total = 0;
        for (byte[] m : messages) {
            total += m.length;
        }
        MemorySegment segment = Arena.ofAuto().allocate(total);
        int at = 0;
        for (byte[] m : messages) {
            MemorySegment.copy(m, 0, segment, ValueLayout.JAVA_BYTE, at, m.length);
            at += m.length;
        }
        return segment;
    }

    /** Random test prefixes: 198.18.0.0/15 (RFC 2544 benchmarking) and a random fd00::/8 /64. */
    private record Prefixes(InetAddress v4Local, InetAddress v4Route, InetAddress v6Local, InetAddress v6Route) {
        static Prefixes random() throws Exception {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            byte[] local = randomSubnet30(1);
            InetAddress v4Local = InetAddress.getByAddress(local);
            // The other half of 198.18.0.0/15, so the route never overlaps the address's /30.
            InetAddress v4Route = InetAddress.getByAddress(new byte[] {(byte) 198, (byte) (local[1] ^ 1), local[2], 0});
            byte[] six = new byte[16];
            random.nextBytes(six);
            six[0] = (byte) 0xfd;
            Arrays.fill(six, 8, 16, (byte) 0);
            six[15] = 1;
            InetAddress v6Local = InetAddress.getByAddress(six);
            six[15] = 0;
            six[7] ^= 1;
            InetAddress v6Route = InetAddress.getByAddress(six);
            return new Prefixes(v4Local, v4Route, v6Local, v6Route);
        }
    }

    /** The "dst" values of {@code ip -j route} output, with addresses in Java's spelling. */
    private static Set<String> routeDestinations(String json) throws Exception {
        Set<String> result = new HashSet<>();
        Matcher m = Pattern.compile("\"dst\":\"([0-9a-f:.]+)/([0-9]+)\"").matcher(json);
        while (m.find()) {
            result.add(InetAddress.getByName(m.group(1)).getHostAddress() + "/" + m.group(2));
        }
        return result;
    }

    private static boolean ipv6Enabled(String name) throws Exception {
        Path flag = Path.of("/proc/sys/net/ipv6/conf", name, "disable_ipv6");
        return Files.exists(flag) && Files.readString(flag).trim().equals("0");
    }

    private static Set<String> sockets() {
        Set<String> result = new HashSet<>();
        for (String entry : openDescriptors()) {
            int arrow = entry.indexOf(" -> socket:");
            if (arrow >= 0) {
                result.add(entry.substring(arrow + 4));
            }
        }
        return result;
    }
}
