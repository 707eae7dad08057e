package io.qgate.engine.gateway;

import io.qgate.crypto.aead.Aeads;
import io.qgate.engine.cli.KeyFiles;
import io.qgate.engine.config.GatewayConfig;
import io.qgate.engine.control.Endpoint;
import io.qgate.engine.control.EndpointConfig;
import io.qgate.engine.control.PeerConfig;
import io.qgate.engine.net.AllowedIps;
import io.qgate.engine.net.IpPrefix;
import io.qgate.engine.protocol.HandshakeConfig;
import io.qgate.engine.protocol.Protocol;
import io.qgate.engine.protocol.Suite;
import io.qgate.engine.trust.Certificate;
import io.qgate.engine.trust.SigningIdentity;
import io.qgate.engine.trust.TrustStore;
import io.qgate.engine.telemetry.GatewayTelemetry;
import io.qgate.ffm.linux.Errno;
import io.qgate.ffm.linux.Fd;
import io.qgate.ffm.linux.IoUring;
import io.qgate.ffm.linux.LinuxException;
import io.qgate.ffm.linux.Rtnetlink;
import io.qgate.ffm.linux.TunDevice;
import io.qgate.ffm.linux.UdpOptions;
import io.qgate.ffm.linux.UdpSocket;
import io.qgate.ffm.linux.Affinity;
import io.qgate.ring.BatchPipeline;
import io.qgate.ring.PacketBatch;
import io.qgate.ring.PipelineConfig;
import io.qgate.ring.WaitMode;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.agrona.collections.Int2ObjectHashMap;

/**
 * One running gateway: a TUN device, a UDP socket, the control plane and two batch pipelines
 * (outbound TUN to UDP, inbound UDP to TUN), each fed by its own I/O thread.
 *
 * <pre>
 *   tun-reader --batches--> out workers (route, seal) --> out egress (sendmmsg)
 *   udp-reader --batches--> in workers (open, source check) --> in egress (write to TUN)
 *   control: Endpoint (handshakes, timers); workers hand it what they cannot handle
 * </pre>
 *
 * <p>{@link #start} sets everything up or, if any step fails, undoes the steps already done and
 * throws with one sentence naming the step. {@link #close} stops the threads, sends CLOSE to
 * every peer with keys, erases the keys, closes the socket and removes the TUN device; it is
 * idempotent and safe from a shutdown hook.
 */
public final class Gateway implements AutoCloseable {
    /** Inner packets read from TUN per batch, and datagrams per recvmmsg. */
    static final int BATCH = 64;
    static final int RING = 64;
    private static final int SOCKET_BUFFER = 7 << 20;
    /** How pipeline threads wait; {@code -Dqgate.wait=blocking|backoff|busy_spin} for measurements. */
    static final WaitMode WAIT_MODE = WaitMode.valueOf(System.getProperty("qgate.wait", "backoff").toUpperCase(java.util.Locale.ROOT));

    private final GatewayConfig config;
    private final Consumer<String> log;
    private final GatewayTelemetry telemetry;
    private final Counters counters;
    private final Arena arena = Arena.ofShared();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Map<String, Boolean> loggedErrors = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final java.util.Queue<Frames> frames = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final MemorySegment stopSignal;
    private final int stopFd;
    private volatile boolean running = true;
    private boolean closed;

    TunDevice tun;
    UdpSocket socket;
    ControlPlane control;
    BatchPipeline outbound;
    BatchPipeline inbound;
    private Inbound inboundPath;
    private String localSubject;
    /** Submission queue of the io_uring backend: a batch's TUN writes usually fit in one enter. */
    static final int IO_URING_ENTRIES = 256;
    Endpoint endpoint;
    /** Written once before the threads start. */
    volatile AllowedIps routes = AllowedIps.empty();
    DataPeer[] peers;
    /** Replaced by the control thread when receiver indexes change. */
    volatile Int2ObjectHashMap<DataPeer> byIndex = new Int2ObjectHashMap<>();

    private Gateway(GatewayConfig config, Consumer<String> log) {
        this.config = config;
        this.log = log;
        this.telemetry = GatewayTelemetry.create(config.runDirectory(), config.interfaceName(), config.listen(), config.peers().size());
        this.counters = new Counters(telemetry.file());
        telemetry.allocateControlCounters();
        this.stopFd = Fd.eventfd();
        this.stopSignal = arena.allocate(8, 8);
        stopSignal.set(ValueLayout.JAVA_LONG, 0, 1L);
    }

    /**
     * Brings up the gateway described by {@code config}: reads its keys, creates the TUN device
     * with its addresses, opens the socket and starts the threads.
     *
     * @param log where one-line events go (session established, peer moved, errors)
     * @throws IllegalArgumentException or {@link LinuxException} naming what failed; nothing is left behind
     */
    public static Gateway start(GatewayConfig config, Consumer<String> log) {
        Gateway g = new Gateway(config, log);
        try {
            g.bringUp();
            return g;
        } catch (RuntimeException | Error e) {
            g.close();
            throw e;
        }
    }

    private void bringUp() {
        Certificate certificate = KeyFiles.readCertificate(config.certificate());
        SigningIdentity identity = KeyFiles.readPrivateKey(config.privateKey());
        resources.add(identity); // erased by close(), also when a later step fails
        List<Certificate> roots = config.trustRoots().stream().map(KeyFiles::readCertificate).toList();
        List<Suite> suites = config.suites().isEmpty()
            ? java.util.Arrays.stream(Suite.values()).filter(certificate::permits).toList() : config.suites();
        if (suites.isEmpty()) {
            throw new IllegalArgumentException(config.certificate() + " permits no suite this build offers");
        }
        localSubject = certificate.subject();
        HandshakeConfig handshake = HandshakeConfig.of(certificate, identity, new TrustStore(roots), suites, new SecureRandom());
        endpoint = new Endpoint(new EndpointConfig(handshake, false, Aeads.defaultBackend(), 2 * config.workers()), System.nanoTime());

        AllowedIps.Builder table = AllowedIps.builder();
        peers = new DataPeer[config.peers().size()];
        for (int i = 0; i < peers.length; i++) {
            GatewayConfig.PeerSection section = config.peers().get(i);
            for (IpPrefix prefix : section.allowedIps()) {
                table.add(prefix, i);
            }
            peers[i] = new DataPeer(i, section, endpoint.addPeer(new PeerConfig(section.name(), section.subject(), section.endpoint()),
                telemetry.peer(i, section.name())), arena);
        }
        routes = table.build();

        tun = TunDevice.open(config.interfaceName(), 1, false);
        resources.add(tun);
        try (Rtnetlink netlink = Rtnetlink.open()) {
            int index = tun.index();
            netlink.setMtu(index, config.mtu());
            for (GatewayConfig.InterfaceAddress address : config.addresses()) {
                netlink.addAddress(index, address.address(), address.prefixLength());
            }
            netlink.setLinkUp(index, true);
            for (GatewayConfig.PeerSection section : config.peers()) {
                for (IpPrefix prefix : section.allowedIps()) {
                    if (!coveredByAddress(prefix)) {
                        netlink.addRoute(index, prefix.inetAddress(), prefix.length());
                    }
                }
            }
        }
        int tunFd = tun.fd(0);
        Fd.nonBlocking(tunFd, true);

        socket = UdpSocket.open(config.listen(), new UdpOptions(false, SOCKET_BUFFER, SOCKET_BUFFER, true, true));
        resources.add(socket);

        control = new ControlPlane(this, endpoint, localSubject, socket, tunFd, counters, telemetry);
        for (DataPeer peer : peers) {
            control.register(peer);
        }
        boolean outerV6 = !(config.listen().getAddress() instanceof Inet4Address);
        Outbound out = new Outbound(this, counters, socket, tunFd, config.pathMtu(), outerV6,
            config.workers(), arena);
        IoUring ring = null;
        if (config.io() == GatewayConfig.IoBackend.IO_URING) {
            ring = IoUring.open(IO_URING_ENTRIES); // throws, naming why, where io_uring is unavailable
        }
        Inbound in = inboundPath = new Inbound(this, counters, tunFd, config.workers(), ring);
        int slot = align(Protocol.DATA_OVERHEAD + Math.max(config.mtu(), 1500));
        List<Integer> cpus = config.cpus();
        outbound = BatchPipeline.start(PipelineConfig.builder(config.interfaceName() + "-out").ringSize(ringSize(slot))
            .batchCapacity(BATCH).slotBytes(slot).workers(config.workers()).workerHandler(out).egressHandler(out)
            .waitMode(WAIT_MODE).cpus(cpus).pinner(Affinity::pinCurrentThread).build());
        // with GRO one received message holds up to 64 datagrams: a slot takes the largest UDP payload
        int inboundSlot = socket.gro() ? align(65_536) : slot;
        inbound = BatchPipeline.start(PipelineConfig.builder(config.interfaceName() + "-in").ringSize(ringSize(inboundSlot))
            .batchCapacity(BATCH).slotBytes(inboundSlot).workers(config.workers()).workerHandler(in).egressHandler(in)
            .waitMode(WAIT_MODE).cpus(cpus).pinner(Affinity::pinCurrentThread).build());

        startThread("qgate-" + config.interfaceName() + "-control", control);
        startThread("qgate-" + config.interfaceName() + "-tun-reader", () -> readTun(tunFd, slot - Protocol.DATA_OVERHEAD));
        startThread("qgate-" + config.interfaceName() + "-udp-reader", this::readUdp);
        log("interface " + tun.name() + " up: " + config.addresses() + ", mtu " + config.mtu() + ", listening on "
            + socket.localAddress() + ", " + peers.length + " peer(s), " + config.workers() + " worker(s) per direction, "
            + (config.io() == GatewayConfig.IoBackend.IO_URING ? "io_uring" : "batched system calls")
            + (socket.gso() ? ", UDP GSO" : "") + (socket.gro() ? ", UDP GRO" : ""));
    }

    private java.util.Queue<Frames> frames() {
        return frames;
    }

    /** Ring batches per pipeline: {@link #RING}, fewer for big slots, so that a ring stays near 64 MiB. */
    private static int ringSize(int slotBytes) {
        int fit = (int) Math.max(4, (64L << 20) / ((long) BATCH * slotBytes));
        return Math.min(RING, Integer.highestOneBit(fit));
    }

    private static int align(int n) {
        return (n + 63) & -64;
    }

    private boolean coveredByAddress(IpPrefix prefix) {
        for (GatewayConfig.InterfaceAddress address : config.addresses()) {
            IpPrefix own = address.prefix();
            if (own.isV4() == prefix.isV4() && own.length() <= prefix.length() && own.contains(prefix.address())) {
                return true;
            }
        }
        return false;
    }

    private void startThread(String name, Runnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                if (running) {
                    error("thread " + Thread.currentThread().getName() + " stopped: " + e);
                }
            }
        }, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    // ---- I/O threads ------------------------------------------------------------------------

    private void readTun(int tunFd, int maxPacket) {
        MemorySegment pollfds = arena.allocate(2 * Fd.POLLFD_SIZE, 8);
        while (running) {
            PacketBatch batch = outbound.claim();
            Frames frames = Frames.of(batch, frames());
            int n = 0;
            while (n < BATCH && running) {
                long r = Fd.read(tunFd, frames.inner(n), maxPacket);
                if (r > 0) {
                    batch.length(n++, (int) r);
                    continue;
                }
                if (r == -Errno.EAGAIN) {
                    if (n > 0) {
                        break;
                    }
                    waitReadable(pollfds, tunFd);
                    continue;
                }
                if (r == -Errno.EINTR) {
                    continue;
                }
                if (r < 0) {
                    ioError("read(tun)", (int) -r);
                    if (!running) {
                        break;
                    }
                    waitReadable(pollfds, tunFd);
                }
            }
            batch.count(n);
            counters.tunPacketsRead.addAndGet(n);
            outbound.publish();
        }
    }

    private void readUdp() {
        MemorySegment pollfds = arena.allocate(2 * Fd.POLLFD_SIZE, 8);
        while (running) {
            PacketBatch batch = inbound.claim();
            Frames frames = Frames.of(batch, frames());
            int n = 0;
            while (running) {
                n = socket.receive(frames.messages);
                if (n > 0) {
                    break;
                }
                if (n == 0 || n == -Errno.EAGAIN) {
                    waitReadable(pollfds, socket.fd());
                } else if (n != -Errno.EINTR) {
                    ioError("recvmmsg", -n);
                    waitReadable(pollfds, socket.fd());
                }
            }
            batch.count(Math.max(n, 0));
            counters.udpDatagramsReceived.addAndGet(Math.max(n, 0));
            inbound.publish();
        }
    }

    /** Blocks until {@code fd} is readable or the gateway stops. */
    private void waitReadable(MemorySegment pollfds, int fd) {
        pollfds.set(ValueLayout.JAVA_INT, 0, fd);
        pollfds.set(ValueLayout.JAVA_SHORT, 4, Fd.POLLIN);
        pollfds.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
        pollfds.set(ValueLayout.JAVA_INT, 8, stopFd);
        pollfds.set(ValueLayout.JAVA_SHORT, 12, Fd.POLLIN);
        pollfds.set(ValueLayout.JAVA_SHORT, 14, (short) 0);
        Fd.poll(pollfds, 2, 1000);
    }

    /** A {@code struct pollfd} for one thread's {@link #waitWritable} calls, freed with the gateway. */
    MemorySegment newPollfd() {
        return arena.allocate(Fd.POLLFD_SIZE, 8);
    }

    /** Waits (at most 10 ms) until {@code fd} can take more data; {@code pollfd} is the caller's own. */
    void waitWritable(int fd, MemorySegment pollfd) {
        pollfd.set(ValueLayout.JAVA_INT, 0, fd);
        pollfd.set(ValueLayout.JAVA_SHORT, 4, Fd.POLLOUT);
        pollfd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
        Fd.poll(pollfd, 1, 10);
    }

    /**
     * Keypair worker ids (a worker id holds both directions' ciphers and belongs to one thread at
     * a time): 0 is the control thread's ({@link Endpoint}), {@code 1..n} the outbound workers',
     * {@code n+1..2n} the inbound workers'; so keypairs are made with {@code 2n} data workers.
     */
    static int outboundKeypairWorker(int worker) {
        return 1 + worker;
    }

    /** See {@link #outboundKeypairWorker}: inbound worker {@code worker} of {@code workers} per direction. */
    static int inboundKeypairWorker(int worker, int workers) {
        return 1 + workers + worker;
    }

    /** Counts a failed system call and logs the first of each kind. */
    void ioError(String call, int errno) {
        counters.ioErrors.incrementAndGet();
        if (running && loggedErrors.putIfAbsent(call + errno, Boolean.TRUE) == null) {
            warn(call + " failed: " + Errno.name(errno) + " (further errors of this kind are only counted)");
        }
    }

    /** Logs one event at level INFO: the line reaching the consumer starts with the level. */
    void log(String line) {
        log.accept("INFO " + config.interfaceName() + ": " + line);
    }

    void warn(String line) {
        log.accept("WARN " + config.interfaceName() + ": " + line);
    }

    void error(String line) {
        log.accept("ERROR " + config.interfaceName() + ": " + line);
    }

    /** The gateway's counters file, latency histogram and JFR events. */
    public GatewayTelemetry telemetry() {
        return telemetry;
    }

    // ---- status and shutdown ----------------------------------------------------------------

    /** The interface's name as the kernel gave it. */
    public String interfaceName() {
        return tun == null ? config.interfaceName() : tun.name();
    }

    /** Counters, gateway-wide then per peer, as {@code name value} lines (the status text). */
    public String status() {
        StringBuilder s = new StringBuilder();
        s.append("interface ").append(interfaceName()).append('\n');
        counters.snapshot().forEach((k, v) -> s.append(k).append(' ').append(v).append('\n'));
        for (DataPeer p : peers == null ? new DataPeer[0] : peers) {
            var t = p.traffic;
            s.append("peer ").append(p.name).append(" endpoint ").append(p.peer.endpoint())
                .append(" established ").append(p.peer.keypairs().current() != null)
                .append(" rx_packets ").append(t.packetsReceived.get()).append(" rx_bytes ").append(t.bytesReceived.get())
                .append(" tx_packets ").append(t.packetsSent.get()).append(" tx_bytes ").append(t.bytesSent.get())
                .append(" dropped_source ").append(t.droppedSource.get()).append('\n');
        }
        return s.toString();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        Fd.write(stopFd, stopSignal, 8);
        if (control != null) {
            control.stop();
        }
        for (Thread t : threads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (BatchPipeline p : new BatchPipeline[] {outbound, inbound}) {
            if (p != null) {
                p.close();
            }
        }
        for (Frames f : frames) {
            f.messages.close();
        }
        if (inboundPath != null) {
            inboundPath.close();
        }
        if (control != null) {
            control.shutdown();
        } else if (endpoint != null) {
            endpoint.close();
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                warn("closing " + resources.get(i) + " failed: " + e.getMessage());
            }
        }
        Fd.close(stopFd);
        arena.close();
        telemetry.close();
    }
}
