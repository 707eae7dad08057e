package io.qgate.ffm.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A layer-3 TUN device ({@code IFF_TUN|IFF_NO_PI|IFF_MULTI_QUEUE}) with one file descriptor per
 * queue, optionally with a {@code virtio_net_hdr} in front of every packet ({@code IFF_VNET_HDR})
 * so the kernel can hand over and accept TCP/UDP super-packets (see
 * Documentation/networking/tuntap.rst).
 *
 * <p>The device is not persistent: it disappears when {@link #close()} closes the last queue.
 * The descriptors are blocking; a caller that wants otherwise uses {@link Fd#nonBlocking} and
 * {@link Fd#poll} itself.
 *
 * <p>Concurrency: after {@link #open} returns, every accessor may be called from any thread, and
 * each queue descriptor may be read and written by its own thread. {@link #close()} is
 * idempotent and may be called from any thread, but only once no thread still uses a queue
 * descriptor: the numbers are released to the kernel, which hands them out again.
 */
public final class TunDevice implements AutoCloseable {
    /** Where the TUN clone device lives. */
    public static final String CLONE_DEVICE = "/dev/net/tun";
    /** The most queues a TUN device can have ({@code MAX_TAP_QUEUES} in drivers/net/tun.c). */
    public static final int MAX_QUEUES = 256;
    /** {@code sizeof(struct virtio_net_hdr)} (linux/virtio_net.h): the header size this class sets. */
    public static final int VNET_HDR_SIZE = 10;

    /** {@code TUN_F_CSUM} (linux/if_tun.h): the kernel may hand over packets with partial checksums. */
    public static final int TUN_F_CSUM = 0x01;
    /** {@code TUN_F_TSO4}: TCP over IPv4 segmentation offload. */
    public static final int TUN_F_TSO4 = 0x02;
    /** {@code TUN_F_TSO6}: TCP over IPv6 segmentation offload. */
    public static final int TUN_F_TSO6 = 0x04;
    /** {@code TUN_F_USO4}: UDP over IPv4 segmentation offload. */
    public static final int TUN_F_USO4 = 0x20;
    /** {@code TUN_F_USO6}: UDP over IPv6 segmentation offload. */
    public static final int TUN_F_USO6 = 0x40;

    // linux/if_tun.h: _IOW('T', 202, int), _IOW('T', 208, unsigned int), _IOW('T', 216, int).
    private static final long TUNSETIFF = 0x400454caL;
    private static final long TUNSETOFFLOAD = 0x400454d0L;
    private static final long TUNSETVNETHDRSZ = 0x400454d8L;
    // linux/if_tun.h
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_MULTI_QUEUE = 0x0100;
    private static final short IFF_NO_PI = 0x1000;
    private static final short IFF_VNET_HDR = 0x4000;
    /** {@code sizeof(struct ifreq)} (linux/if.h); {@code ifr_flags} follows the 16-byte name. */
    private static final long IFREQ_SIZE = 40;
    private static final long IFR_FLAGS_OFFSET = InterfaceNames.IFNAMSIZ;

    /** Tried in order; the kernel answers EINVAL to bits it does not know, so each step drops some. */
    private static final int[] OFFLOAD_CHOICES = {
        TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_USO4 | TUN_F_USO6,
        TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6,
        TUN_F_CSUM,
        0,
    };

    private final String name;
    private final int[] fds;
    private final boolean vnetHeader;
    private final int offloads;
    private final int index;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TunDevice(String name, int[] fds, boolean vnetHeader, int offloads, int index) {
        this.name = name;
        this.fds = fds;
        this.vnetHeader = vnetHeader;
        this.offloads = offloads;
        this.index = index;
    }

    /**
     * Creates (or attaches to) TUN device {@code name} with {@code queues} queues.
     *
     * @param name the device name, or a pattern such as {@code "qg%d"} that the kernel completes;
     *     at most 15 characters
     * @param queues how many queue descriptors to open, 1 to {@value #MAX_QUEUES}
     * @param vnetHeader whether every packet carries a {@value #VNET_HDR_SIZE}-byte
     *     {@code virtio_net_hdr}; if so, checksum, TSO and USO offloads are switched on as far as
     *     the kernel accepts them (see {@link #offloads()})
     * @throws IllegalArgumentException for a bad name or queue count, before any system call
     * @throws LinuxException when the kernel refuses, naming the call; {@code EPERM} means
     *     {@code CAP_NET_ADMIN} is missing
     */
    public static TunDevice open(String name, int queues, boolean vnetHeader) {
        return open(CLONE_DEVICE, name, queues, vnetHeader);
    }

    /** {@link #open(String, int, boolean)} through another clone device path (for tests). */
    static TunDevice open(String cloneDevice, String name, int queues, boolean vnetHeader) {
        byte[] nameBytes = InterfaceNames.validate(name);
        if (queues < 1 || queues > MAX_QUEUES) {
            throw new IllegalArgumentException("a TUN device has 1 to " + MAX_QUEUES + " queues, not " + queues);
        }
        short flags = (short) (IFF_TUN | IFF_NO_PI | IFF_MULTI_QUEUE | (vnetHeader ? IFF_VNET_HDR : 0));
        int[] fds = new int[queues];
        Arrays.fill(fds, -1);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifreq = arena.allocate(IFREQ_SIZE);
            String actualName = name;
            for (int queue = 0; queue < queues; queue++) {
                int fd = openCloneDevice(cloneDevice);
                fds[queue] = fd;
                ifreq.fill((byte) 0);
                // The first call may carry a pattern; later queues attach to the name it produced.
                byte[] wanted = queue == 0 ? nameBytes : InterfaceNames.validate(actualName);
                MemorySegment.copy(wanted, 0, ifreq, ValueLayout.JAVA_BYTE, 0, wanted.length);
                ifreq.set(ValueLayout.JAVA_SHORT, IFR_FLAGS_OFFSET, flags);
                ioctl(fd, TUNSETIFF, ifreq, "ioctl(TUNSETIFF)", "device " + actualName + ", queue " + queue);
                actualName = ifreq.getString(0);
            }
            int offloads = 0;
            if (vnetHeader) {
                MemorySegment size = arena.allocateFrom(ValueLayout.JAVA_INT, VNET_HDR_SIZE);
                ioctl(fds[0], TUNSETVNETHDRSZ, size, "ioctl(TUNSETVNETHDRSZ)", "device " + actualName);
                offloads = negotiateOffloads(fds[0], actualName);
            }
            int index = InterfaceNames.index(actualName);
            return new TunDevice(actualName, fds, vnetHeader, offloads, index);
        } catch (RuntimeException | Error e) {
            for (int fd : fds) {
                if (fd >= 0) {
                    closeQuietly(fd, e);
                }
            }
            throw e;
        }
    }

    private static int openCloneDevice(String cloneDevice) {
        try {
            return Fd.open(cloneDevice, Fd.O_RDWR | Fd.O_CLOEXEC, 0);
        } catch (LinuxException e) {
            int errno = e.errno();
            if (errno == Errno.ENOENT || errno == Errno.ENODEV || errno == Errno.ENXIO) {
                throw new LinuxException("open", errno, cloneDevice,
                    "the TUN driver is missing: load the tun kernel module (modprobe tun)");
            }
            throw e;
        }
    }

    private static void ioctl(int fd, long request, MemorySegment argument, String call, String context) {
        int rc = Fd.ioctl(fd, request, argument);
        if (rc < 0) {
            throw new LinuxException(call, -rc, context);
        }
    }

    /** The first offload set the kernel accepts; EINVAL means "unknown bits", anything else is an error. */
    private static int negotiateOffloads(int fd, String name) {
        for (int choice : OFFLOAD_CHOICES) {
            int rc = Fd.ioctl(fd, TUNSETOFFLOAD, choice);
            if (rc == 0) {
                return choice;
            }
            if (rc != -Errno.EINVAL) {
                throw new LinuxException("ioctl(TUNSETOFFLOAD)", -rc, "device " + name + ", offloads 0x" + Integer.toHexString(choice));
            }
        }
        throw new LinuxException("ioctl(TUNSETOFFLOAD)", Errno.EINVAL, "device " + name + ", offloads 0");
    }

    private static void closeQuietly(int fd, Throwable primary) {
        try {
            Fd.close(fd);
        } catch (LinuxException e) {
            primary.addSuppressed(e);
        }
    }

    /** The device's name as the kernel made it (a pattern like {@code qg%d} resolved). */
    public String name() {
        return name;
    }

    /** How many queues (descriptors) the device was opened with. */
    public int queues() {
        return fds.length;
    }

    /**
     * The descriptor of queue {@code queue}; valid until {@link #close()}.
     *
     * @throws IndexOutOfBoundsException if there is no such queue
     */
    public int fd(int queue) {
        return fds[queue];
    }

    /** Whether every packet read or written carries a {@value #VNET_HDR_SIZE}-byte {@code virtio_net_hdr}. */
    public boolean vnetHeader() {
        return vnetHeader;
    }

    /** The {@code TUN_F_*} offload bits the kernel accepted (0 without a vnet header). */
    public int offloads() {
        return offloads;
    }

    /** Whether the kernel may hand over TCP super-packets over both IPv4 and IPv6 (TSO4 and TSO6). */
    public boolean tso() {
        return (offloads & (TUN_F_TSO4 | TUN_F_TSO6)) == (TUN_F_TSO4 | TUN_F_TSO6);
    }

    /** Whether the kernel may hand over UDP super-packets over both IPv4 and IPv6 (USO4 and USO6). */
    public boolean uso() {
        return (offloads & (TUN_F_USO4 | TUN_F_USO6)) == (TUN_F_USO4 | TUN_F_USO6);
    }

    /** The accepted offloads by name, for a log line: {@code "csum, tso4, tso6"}, or {@code "none"}. */
    public String offloadNames() {
        String[] names = {"csum", "tso4", "tso6", "uso4", "uso6"};
        int[] bits = {TUN_F_CSUM, TUN_F_TSO4, TUN_F_TSO6, TUN_F_USO4, TUN_F_USO6};
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < bits.length; i++) {
            if ((offloads & bits[i]) != 0) {
                out.append(out.isEmpty() ? "" : ", ").append(names[i]);
            }
        }
        return out.isEmpty() ? "none" : out.toString();
    }

    /** The interface index, for rtnetlink. */
    public int index() {
        return index;
    }

    /**
     * Closes every queue descriptor; the device disappears with the last one. Idempotent. If a
     * close fails the others are still closed and the first failure is thrown.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LinuxException first = null;
        for (int fd : fds) {
            try {
                Fd.close(fd);
            } catch (LinuxException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "TunDevice[" + name + ", " + fds.length + " queue(s)" + (vnetHeader ? ", vnet header, offloads 0x"
            + Integer.toHexString(offloads) : "") + "]";
    }
}
