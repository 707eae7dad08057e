package io.qgate.engine.gateway;

import io.qgate.crypto.aead.Aeads;
import io.qgate.engine.cli.KeyFiles;
import io.qgate.engine.config.GatewayConfig;
import io.qgate.engine.control.Endpoint;
import io.qgate.engine.control.EndpointConfig;
import io.qgate.engine.control.PeerConfig;
import io.qgate.engine.control.PeerTraffic;
import io.qgate.engine.net.AllowedIps;
import io.qgate.engine.net.IpPrefix;
import io.qgate.engine.net.TunCoalescer;
import io.qgate.engine.protocol.HandshakeConfig;
import io.qgate.engine.protocol.Protocol;
import io.qgate.engine.protocol.Suite;
import io.qgate.engine.trust.Certificate;
import io.qgate.engine.trust.SigningIdentity;
import io.qgate.engine.trust.TrustStore;
import io.qgate.engine.telemetry.GatewayTelemetry;
import io.qgate.ffm.linux.Errno;
import io.qgate.ffm.linux.Fd;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.IntStream;
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
    private String localSubject;
    /** One per I/O thread, closed after the threads stopped. */
    private final List<PacketIo> packetIo = new ArrayList<>();
    Endpoint endpoint;
    /** The peers and their routes; replaced as a whole by the control thread when peers change. */
    volatile PeerTable table = PeerTable.EMPTY;
    /** Control thread (after start): the next peer id; ids are never reused. */
    private int nextPeerId;
    /** Control thread (after start): the kernel routes this gateway added through its interface. */
    private final java.util.Set<IpPrefix> kernelRoutes = new java.util.LinkedHashSet<>();
    /** The roots and their revocation lists; a reload installs a newer list. */
    private TrustStore trust;
    /** Control thread (after start): the configuration last applied (reloads replace its peer list). */
    private GatewayConfig applied;
    /**
     * The receiver-index map the workers read, replaced by the control thread when receiver
     * indexes change, with the {@link Endpoint#indexVersion()} it was copied at (-1: none yet).
     */
    volatile IndexTable indexes = new IndexTable(-1, new Int2ObjectHashMap<>());

    /** A published receiver-index map and the endpoint's index version it reflects. */
    record IndexTable(long version, Int2ObjectHashMap<DataPeer> peers) {
    }

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
        trust = new TrustStore(roots);
        installRevocationList(config);
        HandshakeConfig handshake = HandshakeConfig.of(certificate, identity, trust, suites, new SecureRandom());
        int lanes = lanes(config.workers());
        endpoint = new Endpoint(new EndpointConfig(handshake, false, Aeads.defaultBackends(), 2 * lanes,
            config.rekeyAfterSeconds() * 1_000_000_000L), System.nanoTime());

        DataPeer[] peers = new DataPeer[config.peers().size()];
        for (int i = 0; i < peers.length; i++) {
            peers[i] = newDataPeer(config.peers().get(i));
        }
        table = PeerTable.of(peers);
        applied = config;

        tun = TunDevice.open(config.interfaceName(), 1, config.offload());
        resources.add(tun);
        try (Rtnetlink netlink = Rtnetlink.open()) {
            int index = tun.index();
            netlink.setMtu(index, config.mtu());
            for (GatewayConfig.InterfaceAddress address : config.addresses()) {
                netlink.addAddress(index, address.address(), address.prefixLength());
            }
            netlink.setLinkUp(index, true);
            syncRoutes(netlink, index);
        }
        int tunFd = tun.fd(0);
        Fd.nonBlocking(tunFd, true);

        socket = UdpSocket.open(config.listen(), new UdpOptions(false, SOCKET_BUFFER, SOCKET_BUFFER, true, true));
        resources.add(socket);

        boolean vnet = tun.vnetHeader();
        control = new ControlPlane(this, endpoint, localSubject, socket, tunFd, vnet, counters, telemetry);
        for (DataPeer peer : peers) {
            control.register(peer);
        }
        boolean outerV6 = !(config.listen().getAddress() instanceof Inet4Address);
        PacketIo tunReader = packetIo(); // throws, naming why, where the backend is unavailable
        PacketIo udpReader = packetIo();
        Outbound out = new Outbound(workerHost, counters, socket, tunFd, config.pathMtu(), outerV6,
            lanes, arena, packetIo(), vnet);
        Inbound in = new Inbound(workerHost, counters, tunFd, lanes, packetIo(), vnet);
        TunOffloadReader offloadReader = vnet ? new TunOffloadReader(ioHost, counters, arena) : null;
        int slot = slotBytes(config.mtu());
        List<Integer> cpus = config.cpus();
        outbound = BatchPipeline.start(PipelineConfig.builder(config.interfaceName() + "-out").ringSize(ringSize(slot))
            .batchCapacity(BATCH).slotBytes(slot).workers(config.workers()).workerHandler(out).egressHandler(out)
            .waitMode(WAIT_MODE).cpus(cpus).pinner(Affinity::pinCurrentThread).build());
        // with GRO one received message holds up to 64 datagrams: a slot takes the largest UDP payload
        int inboundSlot = socket.gro() ? align(65_536) : slot;
        inbound = BatchPipeline.start(PipelineConfig.builder(config.interfaceName() + "-in").ringSize(ringSize(inboundSlot))
            .batchCapacity(BATCH).slotBytes(inboundSlot).workers(config.workers()).workerHandler(in).egressHandler(in)
            .waitMode(WAIT_MODE).cpus(cpus).pinner(Affinity::pinCurrentThread).build());

        int[] dataCpus = cpus.stream().mapToInt(Integer::intValue).toArray();
        int[] controlCpus = controlCpus(Affinity.currentThreadCpus(), dataCpus);
        startThread("control", controlCpus, control);
        startThread("tun-reader", dataCpus, () -> readTun(tunReader, offloadReader, tunFd, slot - Protocol.DATA_OVERHEAD));
        startThread("udp-reader", dataCpus, () -> readUdp(udpReader));
        log("interface " + tun.name() + " up: " + config.addresses() + ", mtu " + config.mtu() + ", listening on "
            + socket.localAddress() + ", " + peers.length + " peer(s), " + (config.workers() == 0 ? "I/O threads seal and open (workers = 0)"
                : config.workers() + " worker(s) per direction") + ", "
            + (config.io() == GatewayConfig.IoBackend.IO_URING ? "io_uring" : "batched system calls")
            + (socket.gso() ? ", UDP GSO" : "") + (socket.gro() ? ", UDP GRO" : "")
            + (vnet ? ", TUN offloads " + tun.offloadNames() : "")
            + (dataCpus.length == 0 ? "" : ", data plane on CPUs " + Arrays.toString(dataCpus) + ", control thread on "
                + (controlCpus.length == 0 ? "any CPU" : "CPUs " + Arrays.toString(controlCpus))));
    }

    private java.util.Queue<Frames> frames() {
        return frames;
    }

    /** A new I/O thread's {@link PacketIo} of the configured backend, closed with the gateway. */
    private PacketIo packetIo() {
        PacketIo io = PacketIo.open(config.io(), ioHost);
        packetIo.add(io);
        return io;
    }

    /**
     * Writes one packet, {@code frame[10, 10 + length)} behind a plain virtio header where the TUN
     * takes one ({@code vnet}), else {@code frame[0, length)}; for the rare writes outside the
     * inbound egress (ICMP errors, packets the control plane opened).
     *
     * @return whether the whole packet was written
     */
    static boolean writeTunPacket(int fd, boolean vnet, MemorySegment frame, int length) {
        int n = vnet ? TunCoalescer.plain(frame, length) : length;
        return Fd.write(fd, frame, n) == n;
    }

    /**
     * Crypto lanes per direction: the worker threads, or with {@code workers = 0} the one I/O
     * thread that seals (the TUN reader) or opens (the UDP reader) its own batches.
     */
    static int lanes(int workers) {
        return Math.max(1, workers);
    }

    /** Ring batches per pipeline: {@link #RING}, fewer for big slots, so that a ring stays near 64 MiB. */
    private static int ringSize(int slotBytes) {
        int fit = (int) Math.max(4, (64L << 20) / ((long) BATCH * slotBytes));
        return Math.min(RING, Integer.highestOneBit(fit));
    }

    /** The outbound slot size for an interface MTU: a sealed datagram of at least a 1500-byte packet, 64-byte aligned. */
    static int slotBytes(int mtu) {
        return align(Protocol.DATA_OVERHEAD + Math.max(mtu, 1500));
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

    /**
     * The CPUs the control thread runs on when {@code cpus} pins the data plane: the ones this
     * process may use ({@code allowed}) that are not data-plane CPUs, so that handshakes and a
     * flood of initiations take no time from the packets; none (no pinning) when nothing is
     * pinned or no CPU is left over.
     */
    static int[] controlCpus(int[] allowed, int[] dataCpus) {
        if (dataCpus.length == 0) {
            return new int[0];
        }
        return IntStream.of(allowed).filter(c -> IntStream.of(dataCpus).noneMatch(d -> d == c)).toArray();
    }

    /**
     * Starts the gateway's thread {@code qgate-<interface>-<role>}, restricted to {@code cpus}
     * when any are given (all of them: the kernel picks); a thread that cannot be restricted
     * says so and runs unrestricted.
     */
    private void startThread(String role, int[] cpus, Runnable body) {
        Thread t = new Thread(() -> {
            try {
                if (cpus.length > 0) {
                    try {
                        Affinity.setCurrentThreadCpus(cpus);
                    } catch (RuntimeException e) {
                        warn("the " + role + " thread runs on any CPU: it could not be kept to CPUs " + Arrays.toString(cpus)
                            + " (" + e.getMessage() + ")");
                    }
                }
                body.run();
            } catch (Throwable e) {
                if (running) {
                    error("thread " + Thread.currentThread().getName() + " stopped: " + e);
                }
            }
        }, "qgate-" + config.interfaceName() + "-" + role);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    // ---- I/O threads ------------------------------------------------------------------------

    /**
     * The TUN reader thread: fills outbound batches through {@code io}, or through
     * {@code offloadReader} where the device hands over super-packets (null otherwise).
     */
    private void readTun(PacketIo io, TunOffloadReader offloadReader, int tunFd, int maxPacket) {
        while (running) {
            PacketBatch batch = outbound.claim();
            Frames frames = Frames.of(batch, frames());
            int n = 0;
            while (running && (n = offloadReader != null ? offloadReader.read(tunFd, frames, batch, BATCH, maxPacket)
                    : io.readTun(tunFd, frames, batch, BATCH, maxPacket)) == 0) {
                io.awaitReadable(tunFd);
            }
            batch.count(n);
            counters.tunPacketsRead.addAndGet(n);
            outbound.publish();
        }
    }

    private void readUdp(PacketIo io) {
        while (running) {
            PacketBatch batch = inbound.claim();
            Frames frames = Frames.of(batch, frames());
            int n = 0;
            while (running && (n = io.receive(socket, frames.messages)) == 0) {
                io.awaitReadable(socket.fd());
            }
            batch.count(n);
            counters.udpDatagramsReceived.addAndGet(n);
            inbound.publish();
        }
    }

    /** What the I/O threads' {@link PacketIo} instances use of the gateway. */
    private final PacketIo.Host ioHost = new PacketIo.Host() {
        @Override
        public void ioError(String call, int errno) {
            Gateway.this.ioError(call, errno);
        }

        @Override
        public void log(String line) {
            Gateway.this.log(line);
        }

        @Override
        public int stopFd() {
            return stopFd;
        }

        @Override
        public boolean running() {
            return running;
        }
    };

    /** What the data-plane workers use of this gateway: {@link #table}, {@link #indexes} and the control plane. */
    private final WorkerHost workerHost = new WorkerHost() {
        @Override
        public PeerTable table() {
            return table;
        }

        @Override
        public DataPeer byIndex(int receiverIndex) {
            return indexes.peers().get(receiverIndex);
        }

        @Override
        public boolean indexesBehind(int receiverIndex) {
            // the map as published now (a newer one than the caller missed in may hold the index),
            // then the endpoint's version: equal means no index changed since this map was copied
            IndexTable now = indexes;
            return now.peers().containsKey(receiverIndex) || now.version() != endpoint.indexVersion();
        }

        @Override
        public void toControl(MemorySegment sockaddr, int sockaddrLength, MemorySegment datagram, int length) {
            control.receive(sockaddr, sockaddrLength, datagram, length);
        }

        @Override
        public void stage(DataPeer peer, MemorySegment inner, int length) {
            control.stage(peer, inner, length);
        }
    };

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

    // ---- peers changed while running (reload, peer add, peer remove) ------------------------

    /**
     * Installs {@code config}'s revocation list, if it names one: peers whose certificates it lists
     * are refused from their next handshake (a rekey within two minutes at most). An older list
     * than the one installed is refused.
     *
     * @throws IllegalArgumentException naming the file and the problem
     */
    private void installRevocationList(GatewayConfig config) {
        if (config.revocationList() == null) {
            return;
        }
        try {
            trust.install(KeyFiles.readRevocationList(config.revocationList()));
        } catch (io.qgate.engine.protocol.ProtocolException e) {
            throw new IllegalArgumentException(config.revocationList() + ": " + e.getMessage());
        }
    }

    private DataPeer newDataPeer(GatewayConfig.PeerSection section) {
        int id = nextPeerId++;
        PeerTraffic traffic;
        try {
            traffic = telemetry.peer(id, section.name());
        } catch (RuntimeException e) { // the counters file is full (it has room for twice the configured peers)
            warn("peer " + section.name() + ": no room left in the counters file (" + e.getMessage()
                + "); its traffic is counted but not shown until a restart");
            traffic = new PeerTraffic();
        }
        return new DataPeer(id, section,
            endpoint.addPeer(new PeerConfig(section.name(), section.subject(), section.endpoint()), traffic), arena);
    }

    /**
     * Makes the kernel's routes through the interface match the peers' allowed IPs: adds the
     * missing ones, deletes those no peer holds any more (ranges inside an interface address need
     * none). Before the threads start, or on the control thread.
     */
    private void syncRoutes(Rtnetlink netlink, int index) {
        java.util.Set<IpPrefix> wanted = new java.util.LinkedHashSet<>();
        for (DataPeer peer : table.peers()) {
            if (peer != null) {
                for (IpPrefix prefix : peer.section.allowedIps()) {
                    if (!coveredByAddress(prefix)) {
                        wanted.add(prefix);
                    }
                }
            }
        }
        for (IpPrefix prefix : List.copyOf(kernelRoutes)) {
            if (!wanted.contains(prefix)) {
                netlink.deleteRoute(index, prefix.inetAddress(), prefix.length());
                kernelRoutes.remove(prefix);
            }
        }
        for (IpPrefix prefix : wanted) {
            if (kernelRoutes.add(prefix)) {
                netlink.addRoute(index, prefix.inetAddress(), prefix.length());
            }
        }
    }

    /**
     * Applies {@code wanted} as the peer list, on the control thread: peers no longer listed (or
     * whose subject changed) are closed and removed; new ones are added and handshake; a peer whose
     * allowed IPs or address changed keeps its session. Returns a one-line summary.
     *
     * @throws IllegalArgumentException if the new list is inconsistent (a range given to two peers); nothing changed then
     */
    private String applyPeers(List<GatewayConfig.PeerSection> wanted) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (GatewayConfig.PeerSection section : wanted) {
            if (!names.add(section.name())) {
                throw new IllegalArgumentException("peer '" + section.name() + "' is listed twice");
            }
        }
        PeerTable old = table;
        // check the new routes before changing anything: a range given to two peers is refused whole
        AllowedIps.Builder check = AllowedIps.builder();
        for (int i = 0; i < wanted.size(); i++) {
            for (IpPrefix prefix : wanted.get(i).allowedIps()) {
                check.add(prefix, i);
            }
        }
        long now = System.nanoTime();
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        DataPeer[] next = java.util.Arrays.copyOf(old.peers(), old.peers().length + wanted.size());
        for (DataPeer peer : old.peers()) {
            if (peer == null) {
                continue;
            }
            GatewayConfig.PeerSection section = wanted.stream().filter(w -> w.name().equals(peer.name)).findFirst().orElse(null);
            if (section == null || !java.util.Objects.equals(section.subject(), peer.section.subject())) {
                endpoint.removePeer(peer.peer, now, control);
                control.removed(peer);
                telemetry.file().release(peer.name);
                next[peer.id] = null;
                removed.add(peer.name);
            } else if (!section.equals(peer.section)) {
                if (section.endpoint() != null && !section.endpoint().equals(peer.section.endpoint())) {
                    endpoint.moveTo(peer.peer, section.endpoint());
                }
                peer.section = section;
                changed.add(peer.name);
            }
        }
        for (GatewayConfig.PeerSection section : wanted) {
            boolean present = false;
            for (DataPeer peer : next) {
                present |= peer != null && peer.name.equals(section.name());
            }
            if (!present) {
                DataPeer peer = newDataPeer(section);
                next[peer.id] = peer;
                control.added(peer);
                added.add(section.name());
            }
        }
        table = PeerTable.of(java.util.Arrays.copyOf(next, nextPeerId));
        try (Rtnetlink netlink = Rtnetlink.open()) {
            syncRoutes(netlink, tun.index());
        }
        String summary = "peers: " + added.size() + " added " + added + ", " + removed.size() + " removed " + removed
            + ", " + changed.size() + " changed " + changed;
        log(summary);
        return summary;
    }

    /**
     * Re-reads the peer list from {@code newConfig} and applies it without touching established
     * sessions of unchanged peers ({@code qgate reload}, SIGHUP). Changes outside the peer list
     * (addresses, MTU, listen port, keys) need a restart; the summary says which were ignored.
     *
     * @throws IllegalArgumentException naming the problem, with nothing changed
     */
    public String reload(GatewayConfig newConfig) {
        return onControlThread(() -> {
            installRevocationList(newConfig); // first: a bad list refuses the whole reload
            String result = applyPeers(newConfig.peers());
            GatewayConfig before = applied;
            applied = newConfig;
            List<String> ignored = ignoredChanges(before, newConfig);
            return ignored.isEmpty() ? result : result + "; not applied until restart: " + String.join(", ", ignored);
        });
    }

    /** The settings outside the peer list that differ between {@code before} and {@code after}: a reload leaves them. */
    private static List<String> ignoredChanges(GatewayConfig before, GatewayConfig after) {
        List<String> ignored = new ArrayList<>();
        if (!after.interfaceName().equals(before.interfaceName())) {
            ignored.add("name");
        }
        if (!after.listen().equals(before.listen())) {
            ignored.add("listen");
        }
        if (!after.addresses().equals(before.addresses())) {
            ignored.add("address");
        }
        if (after.mtu() != before.mtu() || after.pathMtu() != before.pathMtu()) {
            ignored.add("mtu and path-mtu");
        }
        if (!after.certificate().equals(before.certificate()) || !after.privateKey().equals(before.privateKey())
                || !after.trustRoots().equals(before.trustRoots()) || !after.suites().equals(before.suites())) {
            ignored.add("keys, trust roots and suites");
        }
        if (after.workers() != before.workers() || after.io() != before.io() || !after.cpus().equals(before.cpus())) {
            ignored.add("workers, io and cpus");
        }
        if (after.rekeyAfterSeconds() != before.rekeyAfterSeconds()) {
            ignored.add("rekey_after");
        }
        return ignored;
    }

    /**
     * Adds one peer to the running gateway (not to its configuration file: a reload returns to
     * the file's list). It handshakes at once if it has an address.
     *
     * @throws IllegalArgumentException if the name is taken or a range belongs to another peer
     */
    public String addPeer(GatewayConfig.PeerSection section) {
        return onControlThread(() -> {
            if (table.named(section.name()) != null) {
                throw new IllegalArgumentException("peer '" + section.name() + "' exists already; remove it first or pick another name");
            }
            List<GatewayConfig.PeerSection> wanted = new ArrayList<>(current());
            wanted.add(section);
            return applyPeers(wanted);
        });
    }

    /** Removes one peer from the running gateway (closing its session); see {@link #addPeer}. */
    public String removePeer(String name) {
        return onControlThread(() -> {
            if (table.named(name) == null) {
                throw new IllegalArgumentException("there is no peer '" + name + "' on " + interfaceName());
            }
            List<GatewayConfig.PeerSection> wanted = new ArrayList<>(current());
            wanted.removeIf(s -> s.name().equals(name));
            return applyPeers(wanted);
        });
    }

    private List<GatewayConfig.PeerSection> current() {
        List<GatewayConfig.PeerSection> sections = new ArrayList<>();
        for (DataPeer peer : table.peers()) {
            if (peer != null) {
                sections.add(peer.section);
            }
        }
        return sections;
    }

    /** Runs {@code body} on the control thread and waits (at most 10 s) for its result. */
    private String onControlThread(java.util.function.Supplier<String> body) {
        if (!running || control == null) {
            throw new IllegalStateException("the gateway is not running");
        }
        try {
            return control.call(body).get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the gateway's control thread did not answer within 10 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the gateway");
        }
    }

    /** The configuration the gateway was started with (a reload changes its peers, not this). */
    public GatewayConfig config() {
        return config;
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
        for (DataPeer p : table.peers()) {
            if (p == null) {
                continue;
            }
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
        for (PacketIo io : packetIo) {
            io.close();
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
