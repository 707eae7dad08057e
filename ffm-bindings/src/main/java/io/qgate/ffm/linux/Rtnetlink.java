package io.qgate.ffm.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A {@code NETLINK_ROUTE} socket that configures links, addresses and routes the way {@code ip}
 * does, without running it (rtnetlink(7), netlink(7)).
 *
 * <p>Every change is sent with {@code NLM_F_REQUEST|NLM_F_ACK} and waits for the kernel's answer;
 * a refusal becomes a {@link LinuxException} whose call names the operation
 * ({@code "rtnetlink RTM_NEWADDR"}) and whose context names its arguments
 * ({@code "198.18.0.1/30 on qg0"}), with the kernel's extended-ack text where it gives one.
 * Every reply is parsed with its lengths checked against the bytes received.
 *
 * <p>Concurrency: not thread-safe. One thread at a time may use an instance (it owns one request
 * and one reply buffer); hand it over with a happens-before edge. {@link #close()} is idempotent.
 */
public final class Rtnetlink implements AutoCloseable {
    /** {@code IFA_F_NODAD} (linux/if_addr.h): skip duplicate address detection, usable at once. */
    public static final int IFA_F_NODAD = 0x02;

    // linux/socket.h, linux/netlink.h
    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int NETLINK_ROUTE = 0;
    private static final int SOL_NETLINK = 270;
    private static final int NETLINK_CAP_ACK = 10;
    private static final int NETLINK_EXT_ACK = 11;
    private static final int AF_UNSPEC = 0;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;

    // linux/netlink.h: struct nlmsghdr { u32 len; u16 type; u16 flags; u32 seq; u32 pid; }
    private static final int NLMSG_HDRLEN = 16;
    private static final int NLMSG_NOOP = 1;
    private static final int NLMSG_ERROR = 2;
    private static final int NLMSG_DONE = 3;
    private static final short NLM_F_REQUEST = 0x01;
    private static final short NLM_F_ACK = 0x04;
    private static final short NLM_F_DUMP = 0x300;
    private static final short NLM_F_EXCL = 0x200;
    private static final short NLM_F_CREATE = 0x400;
    private static final int NLM_F_CAPPED = 0x100;
    private static final int NLM_F_ACK_TLVS = 0x200;
    private static final int NLMSGERR_ATTR_MSG = 1;
    /** NLA_F_NESTED | NLA_F_NET_BYTEORDER, masked off an attribute's type (linux/netlink.h). */
    private static final int NLA_TYPE_MASK = 0x3fff;

    // linux/rtnetlink.h
    private static final short RTM_NEWLINK = 16;
    private static final short RTM_DELLINK = 17;
    private static final short RTM_GETLINK = 18;
    private static final short RTM_NEWADDR = 20;
    private static final short RTM_GETADDR = 22;
    private static final short RTM_NEWROUTE = 24;
    private static final short RTM_DELROUTE = 25;
    private static final int RT_TABLE_MAIN = 254;
    private static final int RTPROT_STATIC = 4;
    private static final int RT_SCOPE_UNIVERSE = 0;
    private static final int RT_SCOPE_LINK = 253;
    private static final int RTN_UNICAST = 1;
    private static final int RTA_DST = 1;
    private static final int RTA_OIF = 4;

    // linux/if_link.h, linux/if.h: struct ifinfomsg is 16 bytes, ifi_index at 4, ifi_flags at 8, ifi_change at 12.
    private static final int IFINFOMSG_SIZE = 16;
    private static final int IFLA_IFNAME = 3;
    private static final int IFLA_MTU = 4;
    private static final int IFF_UP = 0x1;

    // linux/if_addr.h: struct ifaddrmsg { u8 family, prefixlen, flags, scope; u32 index; }
    private static final int IFADDRMSG_SIZE = 8;
    private static final int IFA_ADDRESS = 1;
    private static final int IFA_LOCAL = 2;
    private static final int IFA_FLAGS = 8;

    // struct rtmsg: u8 family, dst_len, src_len, tos, table, protocol, scope, type; u32 flags
    private static final int RTMSG_SIZE = 12;

    private static final int REQUEST_CAPACITY = 1024;
    /** Larger than any datagram the kernel builds for a dump (capped at 32 KiB), so none is truncated. */
    private static final int REPLY_CAPACITY = 64 * 1024;
    private static final int ANSWER_TIMEOUT_MILLIS = 5_000;
    /** Bounds the datagrams read for one request, so a confused kernel cannot keep us here. */
    private static final int MAX_DATAGRAMS_PER_REQUEST = 100_000;

    private static final MethodHandle SOCKET = Libc.downcall("socket",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle SETSOCKOPT = Libc.downcall("setsockopt",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    private final int fd;
    private final Arena arena;
    private final MemorySegment request;
    private final MemorySegment reply;
    private final MemorySegment pollfd;
    private int requestLength;
    private int sequence;
    private boolean closed;

    private Rtnetlink(int fd, Arena arena) {
        this.fd = fd;
        this.arena = arena;
        this.request = arena.allocate(REQUEST_CAPACITY, 8);
        this.reply = arena.allocate(REPLY_CAPACITY, 8);
        this.pollfd = arena.allocate(Fd.POLLFD_SIZE, 8);
    }

    /**
     * Opens a route netlink socket in the calling thread's network namespace.
     *
     * @throws LinuxException if the socket cannot be made
     */
    public static Rtnetlink open() {
        MemorySegment state = Libc.callState();
        int fd;
        try {
            fd = (int) SOCKET.invokeExact(state, AF_NETLINK, SOCK_RAW | Fd.O_CLOEXEC, NETLINK_ROUTE);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        if (fd < 0) {
            throw Libc.error("socket(AF_NETLINK, NETLINK_ROUTE)", state, "");
        }
        Arena arena = Arena.ofShared();
        Rtnetlink socket = new Rtnetlink(fd, arena);
        // Both are optional refinements (kernel 4.12+): the kernel's reason text, and acks without
        // the echoed request. Without them errors carry only an errno, so failures are ignored.
        socket.setOption(NETLINK_EXT_ACK);
        socket.setOption(NETLINK_CAP_ACK);
        return socket;
    }

    private void setOption(int option) {
        MemorySegment one = reply.asSlice(0, 4);
        one.set(U32, 0, 1);
        try {
            int ignored = (int) SETSOCKOPT.invokeExact(Libc.callState(), fd, SOL_NETLINK, option, one, 4);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
    }

    /**
     * The index of interface {@code name}.
     *
     * @throws LinuxException ({@code ENODEV}) naming the interface when there is none
     */
    public int linkIndex(String name) {
        byte[] bytes = InterfaceNames.validate(name);
        begin(RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK);
        putIfinfomsg(0, 0, 0);
        byte[] terminated = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, terminated, 0, bytes.length);
        putAttribute(IFLA_IFNAME, terminated);
        int[] index = {0};
        try {
            transact("rtnetlink RTM_GETLINK", () -> name, (message, type) -> {
                if (type == RTM_NEWLINK && message.byteSize() >= NLMSG_HDRLEN + IFINFOMSG_SIZE) {
                    index[0] = message.get(U32, NLMSG_HDRLEN + 4);
                }
            });
        } catch (LinuxException e) {
            if (e.errno() == Errno.ENODEV) {
                throw new LinuxException(e.call(), e.errno(), name, "there is no interface named " + name);
            }
            throw e;
        }
        if (index[0] <= 0) {
            throw new IllegalStateException("rtnetlink RTM_GETLINK for " + name + " answered without a link");
        }
        return index[0];
    }

    /** Sets the link administratively up or down, like {@code ip link set dev X up}. */
    public void setLinkUp(int index, boolean up) {
        checkIndex(index);
        begin(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK);
        putIfinfomsg(index, up ? IFF_UP : 0, IFF_UP);
        transact("rtnetlink RTM_NEWLINK", () -> (up ? "up " : "down ") + InterfaceNames.name(index), null);
    }

    /**
     * Sets the link's MTU.
     *
     * @throws IllegalArgumentException if {@code mtu} is not positive
     * @throws LinuxException ({@code EINVAL}) if the device does not accept it
     */
    public void setMtu(int index, int mtu) {
        checkIndex(index);
        if (mtu <= 0) {
            throw new IllegalArgumentException("an MTU is a positive number of bytes, not " + mtu);
        }
        begin(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK);
        putIfinfomsg(index, 0, 0);
        putAttribute(IFLA_MTU, mtu);
        transact("rtnetlink RTM_NEWLINK", () -> "mtu " + mtu + " on " + InterfaceNames.name(index), null);
    }

    /**
     * Adds {@code address/prefixLength} to the link, like {@code ip addr add}; an IPv6 address is
     * added with {@link #IFA_F_NODAD} so it is usable at once.
     *
     * @throws IllegalArgumentException for a prefix length outside the address family's range
     * @throws LinuxException ({@code EEXIST}) if the link already has the address
     */
    public void addAddress(int index, InetAddress address, int prefixLength) {
        checkIndex(index);
        byte[] bytes = checkPrefix(address, prefixLength);
        boolean v4 = address instanceof Inet4Address;
        begin(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
        int at = reserve(IFADDRMSG_SIZE);
        request.set(ValueLayout.JAVA_BYTE, at, (byte) (v4 ? AF_INET : AF_INET6));
        request.set(ValueLayout.JAVA_BYTE, at + 1, (byte) prefixLength);
        request.set(ValueLayout.JAVA_BYTE, at + 2, (byte) (v4 ? 0 : IFA_F_NODAD));
        request.set(ValueLayout.JAVA_BYTE, at + 3, (byte) RT_SCOPE_UNIVERSE);
        request.set(U32, at + 4, index);
        putAttribute(IFA_LOCAL, bytes);
        putAttribute(IFA_ADDRESS, bytes);
        transact("rtnetlink RTM_NEWADDR",
            () -> address.getHostAddress() + "/" + prefixLength + " on " + InterfaceNames.name(index), null);
    }

    /**
     * Adds a route to {@code destination/prefixLength} through the link in the main table, like
     * {@code ip route add 198.18.0.0/24 dev qg0}.
     *
     * @throws IllegalArgumentException for a prefix length outside the family's range, or a
     *     destination with bits set beyond the prefix
     * @throws LinuxException ({@code EEXIST}) if the table has that route already
     */
    public void addRoute(int index, InetAddress destination, int prefixLength) {
        route(RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, index, destination, prefixLength);
    }

    /**
     * Deletes the route {@link #addRoute} adds, like {@code ip route del 198.18.0.0/24 dev qg0}.
     *
     * @throws IllegalArgumentException as {@link #addRoute}
     * @throws LinuxException ({@code ESRCH}) if the table has no such route
     */
    public void deleteRoute(int index, InetAddress destination, int prefixLength) {
        route(RTM_DELROUTE, NLM_F_REQUEST | NLM_F_ACK, index, destination, prefixLength);
    }

    private void route(short type, int flags, int index, InetAddress destination, int prefixLength) {
        checkIndex(index);
        byte[] bytes = checkPrefix(destination, prefixLength);
        for (int bit = prefixLength; bit < bytes.length * 8; bit++) {
            if ((bytes[bit >>> 3] & (0x80 >>> (bit & 7))) != 0) {
                throw new IllegalArgumentException("route destination " + destination.getHostAddress() + "/" + prefixLength
                    + " has bits set beyond the prefix; give the network address");
            }
        }
        boolean v4 = destination instanceof Inet4Address;
        begin(type, flags);
        int at = reserve(RTMSG_SIZE);
        request.set(ValueLayout.JAVA_BYTE, at, (byte) (v4 ? AF_INET : AF_INET6));
        request.set(ValueLayout.JAVA_BYTE, at + 1, (byte) prefixLength);
        request.set(ValueLayout.JAVA_BYTE, at + 4, (byte) RT_TABLE_MAIN);
        request.set(ValueLayout.JAVA_BYTE, at + 5, (byte) RTPROT_STATIC);
        // Without a gateway the destination is on the link itself (IPv6 ignores the scope).
        request.set(ValueLayout.JAVA_BYTE, at + 6, (byte) (v4 ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE));
        request.set(ValueLayout.JAVA_BYTE, at + 7, (byte) RTN_UNICAST);
        if (prefixLength > 0) {
            putAttribute(RTA_DST, bytes);
        }
        putAttribute(RTA_OIF, index);
        transact(type == RTM_NEWROUTE ? "rtnetlink RTM_NEWROUTE" : "rtnetlink RTM_DELROUTE",
            () -> destination.getHostAddress() + "/" + prefixLength + " dev " + InterfaceNames.name(index), null);
    }

    /** Deletes the link, like {@code ip link del}. */
    public void deleteLink(int index) {
        checkIndex(index);
        begin(RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK);
        putIfinfomsg(index, 0, 0);
        transact("rtnetlink RTM_DELLINK", () -> InterfaceNames.name(index), null);
    }

    /** The addresses configured on the link (an {@code RTM_GETADDR} dump, filtered to it), IPv4 and IPv6. */
    public List<LinkAddress> addresses(int index) {
        checkIndex(index);
        begin(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP);
        reserve(IFADDRMSG_SIZE);
        List<LinkAddress> found = new ArrayList<>();
        transact("rtnetlink RTM_GETADDR", () -> "dump for " + InterfaceNames.name(index), (message, type) -> {
            if (type != RTM_NEWADDR || message.byteSize() < NLMSG_HDRLEN + IFADDRMSG_SIZE
                || message.get(U32, NLMSG_HDRLEN + 4) != index) {
                return;
            }
            LinkAddress address = parseAddress(message, index);
            if (address != null) {
                found.add(address);
            }
        });
        return found;
    }

    private static LinkAddress parseAddress(MemorySegment message, int index) {
        long attributes = NLMSG_HDRLEN + IFADDRMSG_SIZE;
        int prefixLength = Byte.toUnsignedInt(message.get(ValueLayout.JAVA_BYTE, NLMSG_HDRLEN + 1));
        int flags = Byte.toUnsignedInt(message.get(ValueLayout.JAVA_BYTE, NLMSG_HDRLEN + 2));
        long flagsAt = attribute(message, attributes, IFA_FLAGS);
        if (flagsAt >= 0 && payloadLength(message, flagsAt) == 4) {
            flags = message.get(U32, flagsAt + 4);
        }
        long at = attribute(message, attributes, IFA_LOCAL);
        if (at < 0) {
            at = attribute(message, attributes, IFA_ADDRESS);
        }
        int length = at < 0 ? 0 : payloadLength(message, at);
        if (length != 4 && length != 16) {
            return null;
        }
        try {
            byte[] address = message.asSlice(at + 4, length).toArray(ValueLayout.JAVA_BYTE);
            return new LinkAddress(index, InetAddress.getByAddress(address), prefixLength, flags);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("impossible: address of length " + length, e);
        }
    }

    /** The link's MTU ({@code RTM_GETLINK}). */
    public int mtu(int index) {
        return (int) link(index, IFLA_MTU);
    }

    /** Whether the link is administratively up ({@code IFF_UP} in {@code RTM_GETLINK}'s flags). */
    public boolean isUp(int index) {
        return (link(index, -1) & IFF_UP) != 0;
    }

    /** Asks for one link: the u32 attribute {@code attribute}, or (for -1) {@code ifi_flags}. */
    private long link(int index, int attribute) {
        checkIndex(index);
        begin(RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK);
        putIfinfomsg(index, 0, 0);
        long[] value = {-1};
        transact("rtnetlink RTM_GETLINK", () -> InterfaceNames.name(index), (message, type) -> {
            if (type != RTM_NEWLINK || message.byteSize() < NLMSG_HDRLEN + IFINFOMSG_SIZE) {
                return;
            }
            if (attribute < 0) {
                value[0] = Integer.toUnsignedLong(message.get(U32, NLMSG_HDRLEN + 8));
                return;
            }
            long at = attribute(message, NLMSG_HDRLEN + IFINFOMSG_SIZE, attribute);
            if (at >= 0 && payloadLength(message, at) == 4) {
                value[0] = Integer.toUnsignedLong(message.get(U32, at + 4));
            }
        });
        if (value[0] < 0) {
            throw new IllegalStateException("rtnetlink RTM_GETLINK for " + InterfaceNames.name(index)
                + " answered without the value asked for");
        }
        return value[0];
    }

    /** Closes the socket. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Fd.close(fd);
        } finally {
            arena.close();
        }
    }

    // ---- request building ----

    private void begin(short type, int flags) {
        if (closed) {
            throw new IllegalStateException("this rtnetlink socket is closed");
        }
        request.fill((byte) 0);
        request.set(U16, 4, type);
        request.set(U16, 6, (short) flags);
        requestLength = NLMSG_HDRLEN;
    }

    private int reserve(int bytes) {
        int at = requestLength;
        int end = at + align(bytes);
        if (end > REQUEST_CAPACITY) {
            throw new IllegalStateException("rtnetlink request larger than " + REQUEST_CAPACITY + " bytes");
        }
        requestLength = end;
        return at;
    }

    private void putIfinfomsg(int index, int flags, int change) {
        int at = reserve(IFINFOMSG_SIZE);
        request.set(ValueLayout.JAVA_BYTE, at, (byte) AF_UNSPEC);
        request.set(U32, at + 4, index);
        request.set(U32, at + 8, flags);
        request.set(U32, at + 12, change);
    }

    private void putAttribute(int type, byte[] payload) {
        int at = reserve(4 + payload.length);
        request.set(U16, at, (short) (4 + payload.length));
        request.set(U16, at + 2, (short) type);
        MemorySegment.copy(payload, 0, request, ValueLayout.JAVA_BYTE, at + 4, payload.length);
    }

    private void putAttribute(int type, int value) {
        int at = reserve(8);
        request.set(U16, at, (short) 8);
        request.set(U16, at + 2, (short) type);
        request.set(U32, at + 4, value);
    }

    // ---- exchange and reply parsing ----

    /** Receives each reply message of the current request (a slice holding exactly that message) and its type. */
    interface ReplyHandler {
        void accept(MemorySegment message, int type);
    }

    /**
     * Sends the request built since {@link #begin} and reads until the kernel's ack, error or
     * end of dump, handing other messages with this request's sequence number to {@code handler}.
     */
    private void transact(String operation, Supplier<String> context, ReplyHandler handler) {
        int seq = ++sequence;
        request.set(U32, 0, requestLength);
        request.set(U32, 8, seq);
        long sent = Fd.write(fd, request, requestLength);
        if (sent < 0) {
            throw new LinuxException(operation + " (send)", (int) -sent, context.get());
        }
        long deadline = System.nanoTime() + ANSWER_TIMEOUT_MILLIS * 1_000_000L;
        for (int datagram = 0; datagram < MAX_DATAGRAMS_PER_REQUEST; datagram++) {
            long received = receive(operation, context, deadline);
            if (received < 0) {
                continue;
            }
            if (received >= REPLY_CAPACITY) {
                throw new IllegalStateException(operation + ": a reply filled the whole " + REPLY_CAPACITY
                    + "-byte buffer and may be truncated");
            }
            if (parseDatagram(reply.asSlice(0, received), seq, operation, context, handler)) {
                return;
            }
        }
        throw new IllegalStateException(operation + ": no end of reply after " + MAX_DATAGRAMS_PER_REQUEST + " datagrams");
    }

    /** One datagram into {@link #reply}: its length, or -1 to try again (interrupted). */
    private long receive(String operation, Supplier<String> context, long deadline) {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
            throw new LinuxException(operation, Errno.ETIMEDOUT, context.get(),
                "the kernel did not answer within " + ANSWER_TIMEOUT_MILLIS + " ms");
        }
        pollfd.set(U32, 0, fd);
        pollfd.set(U16, 4, Fd.POLLIN);
        pollfd.set(U16, 6, (short) 0);
        int ready = Fd.poll(pollfd, 1, (int) left);
        if (ready == -Errno.EINTR || ready == 0) {
            return -1;
        }
        if (ready < 0) {
            throw new LinuxException("poll", -ready, operation);
        }
        long received = Fd.read(fd, reply, REPLY_CAPACITY);
        if (received == -Errno.EINTR || received == -Errno.EAGAIN) {
            return -1;
        }
        if (received < 0) {
            throw new LinuxException(operation + " (receive)", (int) -received, context.get());
        }
        return received;
    }

    /**
     * Walks the messages in one received datagram, checking every length; true once the answer to
     * request {@code seq} is complete (ack, error or end of dump). Messages of other requests are
     * skipped.
     *
     * @throws LinuxException for an error answer
     * @throws IllegalStateException for a malformed datagram
     */
    static boolean parseDatagram(MemorySegment datagram, int seq, String operation, Supplier<String> context,
                                 ReplyHandler handler) {
        long received = datagram.byteSize();
        long at = 0;
        while (received - at >= NLMSG_HDRLEN) {
            long length = Integer.toUnsignedLong(datagram.get(U32, at));
            if (length < NLMSG_HDRLEN || length > received - at) {
                throw new IllegalStateException(operation + ": malformed netlink message of length " + length
                    + " with " + (received - at) + " bytes left");
            }
            MemorySegment message = datagram.asSlice(at, length);
            int type = Short.toUnsignedInt(message.get(U16, 4));
            if (message.get(U32, 8) == seq) {
                if (type == NLMSG_ERROR) {
                    if (length < NLMSG_HDRLEN + 4) {
                        throw new IllegalStateException(operation + ": netlink error message too short (" + length + " bytes)");
                    }
                    int error = message.get(U32, NLMSG_HDRLEN);
                    if (error != 0) {
                        throw failure(operation, context, message, -error);
                    }
                    return true;
                }
                if (type == NLMSG_DONE) {
                    int error = length >= NLMSG_HDRLEN + 4 ? message.get(U32, NLMSG_HDRLEN) : 0;
                    if (error < 0) {
                        throw failure(operation, context, message, -error);
                    }
                    return true;
                }
                if (type != NLMSG_NOOP && handler != null) {
                    handler.accept(message, type);
                }
            }
            at += Math.min(align(length), received - at);
        }
        return false;
    }

    /** The exception for an error answer, with the kernel's extended-ack text when it sent one. */
    private static LinuxException failure(String operation, Supplier<String> context, MemorySegment message, int errno) {
        String reason = extendedAckMessage(message);
        String hint = Errno.hint(errno);
        if (!reason.isEmpty()) {
            hint = hint.isEmpty() ? "the kernel says: " + reason : "the kernel says: " + reason + "; " + hint;
        }
        return new LinuxException(operation, errno, context.get(), hint);
    }

    /** {@code NLMSGERR_ATTR_MSG} from an error message's TLVs (linux/netlink.h), or "". */
    private static String extendedAckMessage(MemorySegment message) {
        int flags = Short.toUnsignedInt(message.get(U16, 6));
        if ((flags & NLM_F_ACK_TLVS) == 0) {
            return "";
        }
        long at = NLMSG_HDRLEN + 4;
        if ((flags & NLM_F_CAPPED) != 0) {
            at += NLMSG_HDRLEN;
        } else if (at + 4 <= message.byteSize()) {
            at += align(Integer.toUnsignedLong(message.get(U32, at)));
        }
        long text = attribute(message, at, NLMSGERR_ATTR_MSG);
        if (text < 0) {
            return "";
        }
        // The kernel NUL-terminates it; stop at the first NUL without relying on one being there.
        byte[] bytes = message.asSlice(text + 4, payloadLength(message, text)).toArray(ValueLayout.JAVA_BYTE);
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /**
     * The offset of the first attribute of {@code type} in the attributes from {@code from} to the
     * end of {@code message}, or -1; every attribute's length is checked to lie within the message.
     */
    static long attribute(MemorySegment message, long from, int type) {
        long at = from;
        while (at + 4 <= message.byteSize()) {
            int length = Short.toUnsignedInt(message.get(U16, at));
            if (length < 4 || length > message.byteSize() - at) {
                throw new IllegalStateException("malformed netlink attribute of length " + length + " with "
                    + (message.byteSize() - at) + " bytes left");
            }
            if ((Short.toUnsignedInt(message.get(U16, at + 2)) & NLA_TYPE_MASK) == type) {
                return at;
            }
            at += align(length);
        }
        return -1;
    }

    /** The payload length of the attribute at {@code at}, already checked by {@link #attribute}. */
    private static int payloadLength(MemorySegment message, long at) {
        return Short.toUnsignedInt(message.get(U16, at)) - 4;
    }

    private static int align(int length) {
        return (length + 3) & ~3;
    }

    private static long align(long length) {
        return (length + 3) & ~3L;
    }

    private static void checkIndex(int index) {
        if (index <= 0) {
            throw new IllegalArgumentException("an interface index is positive, not " + index);
        }
    }

    private static byte[] checkPrefix(InetAddress address, int prefixLength) {
        if (address == null) {
            throw new IllegalArgumentException("an address is needed");
        }
        byte[] bytes = address.getAddress();
        if (prefixLength < 0 || prefixLength > bytes.length * 8) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0.." + bytes.length * 8
                + " for " + address.getHostAddress());
        }
        return bytes;
    }
}
