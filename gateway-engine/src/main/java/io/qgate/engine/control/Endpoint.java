package io.qgate.engine.control;

import io.qgate.crypto.Backend;
import io.qgate.engine.protocol.AmplificationBudget;
import io.qgate.engine.protocol.CookieJar;
import io.qgate.engine.protocol.CookieReply;
import io.qgate.engine.protocol.ErrorCode;
import io.qgate.engine.protocol.Established;
import io.qgate.engine.protocol.Fragmenter;
import io.qgate.engine.protocol.HandshakeConfig;
import io.qgate.engine.protocol.HandshakeError;
import io.qgate.engine.protocol.HandshakeMessage;
import io.qgate.engine.protocol.HandshakeRateLimiter;
import io.qgate.engine.protocol.HandshakeSizes;
import io.qgate.engine.protocol.Initiation;
import io.qgate.engine.protocol.InitiatorHandshake;
import io.qgate.engine.protocol.MessageType;
import io.qgate.engine.protocol.Protocol;
import io.qgate.engine.protocol.ProtocolException;
import io.qgate.engine.protocol.Reassembler;
import io.qgate.engine.protocol.ResponderHandshake;
import io.qgate.engine.protocol.Suite;
import io.qgate.engine.protocol.TokenBucket;
import io.qgate.engine.session.Keypair;
import io.qgate.engine.trust.Certificate;
import io.qgate.engine.trust.TrustStore;
import java.lang.foreign.Arena;
import org.agrona.collections.Int2ObjectHashMap;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The protocol engine of one local identity: it consumes datagrams and timer ticks and produces
 * datagrams, inner packets and events through an {@link EndpointOutput}. No sockets: the data
 * plane and the tests both drive it.
 *
 * <p>It runs both roles of section 8 of {@code docs/PROTOCOL.md}: it initiates to configured
 * peers that have an endpoint address, and it answers initiations (with the rate limit, cookies
 * and amplification rule of section 7). Data packets are sealed and opened here with worker 0 of
 * each keypair; the multi-worker data plane calls {@link Keypair} directly.
 *
 * <p><b>Threads:</b> not thread-safe. One control thread calls every method.
 */
public final class Endpoint implements AutoCloseable {
    private static final int MAX_PACKET = 65_535;
    /** Big-endian u32, built once (not per packet). */
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    /** Where DATA/CLOSE carry the receiver index and handshake fragments the sender index. */
    private static final long INDEX_OFFSET = 4;
    private static final int MAX_VALIDATED = 65_536;

    private final EndpointConfig config;
    private final HandshakeConfig handshake;
    private final Reassembler reassembler = new Reassembler();
    private final CookieJar cookies;
    private final HandshakeRateLimiter rateLimiter = new HandshakeRateLimiter();
    private final Map<String, Peer> peersByName = new LinkedHashMap<>();
    /**
     * The peer each certificate subject belongs to (its expected subject, or its name), so a
     * responder finds a client's peer in one lookup, not a scan of every peer: the first peer
     * added with a subject keeps it, as the scan this replaces found the first.
     */
    private final Map<String, Peer> peersBySubject = new HashMap<>();
    /** Receiver index → peer, for every keypair in any peer's slots (no boxing on the data path). */
    private final Int2ObjectHashMap<Peer> peersByIndex = new Int2ObjectHashMap<>();
    private final LinkedHashMap<Integer, Pending> pending = new LinkedHashMap<>();
    private final Map<InitiatorKey, Integer> pendingByInitiator = new HashMap<>();
    private final Map<InetSocketAddress, Long> validated = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Long> eldest) {
            return size() > MAX_VALIDATED;
        }
    };
    /** Initiations (first fragments) counted in the current and the last one-second window, for {@link #isUnderLoad}. */
    private int initiationsThisWindow;
    private int initiationsLastWindow;
    private long initiationWindowStart;
    /**
     * The responder's budget of cookie replies ({@link Protocol#COOKIE_REPLIES_PER_SECOND} after a
     * burst of {@link Protocol#COOKIE_REPLY_BURST}): each reply costs a MAC and a send, and a flood
     * from spoofed sources would otherwise buy that much work per datagram.
     */
    private final TokenBucket cookieReplies;
    /**
     * The same budget again for sources that completed a handshake ({@link #validated}): a flood
     * from spoofed sources that spends {@link #cookieReplies} does not keep a known peer, which
     * returns from the address it had, from being answered. A spoofer who learns these addresses
     * can spend this budget too, but its replies go to the known peers, never beyond it.
     */
    private final TokenBucket knownSourceCookieReplies;
    /** Whether the responder was ever under load, and until when it stays so. */
    private boolean loadSeen;
    private long underLoadUntil;
    /**
     * Grows whenever {@link #peersByIndex} may have changed: the data plane then takes a new
     * snapshot. Written by the endpoint thread only; volatile so that data-plane threads may
     * compare it ({@link #indexVersion()}).
     */
    private volatile long indexVersion;
    private final EnumMap<Drop, long[]> drops = new EnumMap<>(Drop.class);
    /** Shared, not confined: an endpoint may be built on one thread and run on another (then only that one). */
    private final Arena arena = Arena.ofShared();
    private final MemorySegment scratch = arena.allocate(MAX_PACKET + Protocol.DATA_OVERHEAD, 16);

    /** A responder handshake waiting for its CONFIRM. */
    private record Pending(ResponderHandshake handshake, InetSocketAddress source, long receivedNanos, long deadlineNanos,
            InitiatorKey initiator, byte[] initiationDigest, List<byte[]> response) {
    }

    /** Who sent an initiation: a retransmitted one is answered with the same response. */
    private record InitiatorKey(InetSocketAddress source, int senderIndex) {
    }

    /**
     * Cookies are bound to the source address and port only (the index field is 0): the initiator
     * answers a COOKIE_REPLY with a fresh initiation, whose sender index is new.
     */
    private static final int COOKIE_ANY_INDEX = 0;

    /** Initiations retransmitted unchanged before a fresh one (new key, new index) is made. */
    private static final int MAX_RETRANSMISSIONS = 3;

    public Endpoint(EndpointConfig config, long nowNanos) {
        this.config = config;
        this.handshake = config.handshake();
        this.initiationWindowStart = nowNanos;
        this.cookieReplies = new TokenBucket(Protocol.COOKIE_REPLIES_PER_SECOND, Protocol.COOKIE_REPLY_BURST, nowNanos);
        this.knownSourceCookieReplies = new TokenBucket(Protocol.COOKIE_REPLIES_PER_SECOND, Protocol.COOKIE_REPLY_BURST,
                nowNanos);
        this.cookies = new CookieJar(handshake.random(), nowNanos);
        for (Drop drop : Drop.values()) {
            drops.put(drop, new long[1]);
        }
    }

    /** Adds a configured peer whose data-plane traffic is counted in counters of its own. */
    public Peer addPeer(PeerConfig peerConfig) {
        return addPeer(peerConfig, new PeerTraffic());
    }

    /** Adds a configured peer whose data-plane traffic is counted in {@code traffic} (a gateway's counters file). */
    public Peer addPeer(PeerConfig peerConfig, PeerTraffic traffic) {
        if (peersByName.containsKey(peerConfig.name())) {
            throw new IllegalArgumentException("peer '" + peerConfig.name() + "' is configured twice");
        }
        Peer peer = new Peer(peerConfig, traffic);
        peersByName.put(peerConfig.name(), peer);
        peersBySubject.putIfAbsent(subjectOf(peer), peer);
        return peer;
    }

    /**
     * Removes a configured peer from a running endpoint: sends it an authenticated CLOSE if it
     * has keys, erases them and its handshake, and forgets it. A handshake it completes later
     * finds no peer ({@code UNEXPECTED_PEER}).
     *
     * @throws IllegalArgumentException if {@code peer} is not one of this endpoint's peers
     */
    public void removePeer(Peer peer, long nowNanos, EndpointOutput out) {
        if (peersByName.get(peer.name()) != peer) {
            throw new IllegalArgumentException("peer '" + peer.name() + "' is not configured here");
        }
        close(peer, ErrorCode.PEER_CLOSED, nowNanos, out);
        peer.closeHandshake();
        peersByName.remove(peer.name());
        if (peersBySubject.remove(subjectOf(peer), peer)) {
            for (Peer other : peersByName.values()) { // another peer expecting the same subject takes it over
                if (subjectOf(other).equals(subjectOf(peer))) {
                    peersBySubject.putIfAbsent(subjectOf(other), other);
                    break;
                }
            }
        }
    }

    /**
     * Points a peer at a new address (a changed configuration): handshakes and data go there
     * from now on; its session stays. Roaming still moves it when the peer speaks from elsewhere.
     */
    public void moveTo(Peer peer, InetSocketAddress address) {
        if (address == null) {
            throw new IllegalArgumentException("peer '" + peer.name() + "' needs an address to move to");
        }
        peer.endpoint = address;
    }

    public Collection<Peer> peers() {
        return Collections.unmodifiableCollection(peersByName.values());
    }

    public Peer peer(String name) {
        return peersByName.get(name);
    }

    /** How many datagrams were dropped for {@code reason}. */
    public long dropped(Drop reason) {
        return drops.get(reason)[0];
    }

    /**
     * A number that changes whenever the receiver indexes of any peer's keypairs may have changed
     * (a handshake completed, keys expired or were dropped): the data plane compares it with
     * the one it last saw and takes a new {@link #indexSnapshot()} when it differs. Any thread may
     * read it (a volatile read): a data-plane worker that misses an index in its copy asks whether
     * the copy is behind.
     */
    public long indexVersion() {
        return indexVersion;
    }

    /** A copy of the receiver-index table: local index of every live keypair to its peer (cold path). */
    public Int2ObjectHashMap<Peer> indexSnapshot() {
        Int2ObjectHashMap<Peer> copy = new Int2ObjectHashMap<>();
        peersByIndex.forEach(copy::put);
        return copy;
    }

    /** Responder handshakes waiting for a CONFIRM. */
    public int pendingHandshakes() {
        return pending.size();
    }

    /** Starts a handshake with {@code peer} now (normally they start when there is something to send). */
    public void connect(Peer peer, long nowNanos, EndpointOutput out) {
        if (peer.endpoint == null) {
            throw new IllegalArgumentException("peer '" + peer.name() + "' has no endpoint address to connect to: give it one in its PeerConfig, or let it initiate");
        }
        if (peer.attemptStartedNanos == Long.MIN_VALUE) {
            peer.attemptStartedNanos = nowNanos;
            peer.retryInterval = Protocol.HANDSHAKE_RETRY_INITIAL;
            peer.dead = false;
            peer.allowRetries(); // an abandoned attempt's spent retries must not hobble this one
            sendInitiation(peer, nowNanos, out);
        }
    }

    /**
     * Seals {@code packet[offset, offset + length)} for {@code peer} and transmits it; with no
     * usable keypair, stages it (bounded) and starts a handshake.
     *
     * @return true if it was sent now
     */
    public boolean send(Peer peer, MemorySegment packet, long offset, int length, long nowNanos, EndpointOutput out) {
        if (length < 0 || length > MAX_PACKET) {
            throw new IllegalArgumentException("packet length " + length + " is outside 0.." + MAX_PACKET);
        }
        Keypair keypair = usableSendKeypair(peer, nowNanos);
        if (keypair == null || peer.endpoint == null) {
            stage(peer, packet, offset, length);
            if (peer.endpoint != null) {
                connect(peer, nowNanos, out);
            }
            return false;
        }
        boolean sent = seal(peer, keypair, packet, offset, length, MessageType.DATA, nowNanos, out);
        if (sent && length > 0) {
            maybeRekeyOnSend(peer, keypair, nowNanos, out);
        }
        return sent;
    }

    /** Sends an authenticated CLOSE with {@code reason} and forgets the peer's keys. */
    public void close(Peer peer, ErrorCode reason, long nowNanos, EndpointOutput out) {
        Keypair keypair = usableSendKeypair(peer, nowNanos);
        if (keypair != null && peer.endpoint != null) {
            MemorySegment reasonBytes = MemorySegment.ofArray(new byte[] {(byte) (reason.code() >>> 8), (byte) reason.code()});
            seal(peer, keypair, reasonBytes, 0, 2, MessageType.CLOSE, nowNanos, out);
        }
        tearDown(peer, reason, out);
    }

    /** Handles one received datagram {@code datagram[0, length)} from {@code source}. */
    public void receive(InetSocketAddress source, MemorySegment datagram, int length, long nowNanos, EndpointOutput out) {
        if (length < 2) {
            count(Drop.TOO_SHORT);
            return;
        }
        int typeCode = datagram.get(ValueLayout.JAVA_BYTE, 0) & 0xFF;
        int version = datagram.get(ValueLayout.JAVA_BYTE, 1) & 0xFF;
        MessageType type = MessageType.fromCode(typeCode);
        if (type == null) {
            count(Drop.UNKNOWN_TYPE);
            return;
        }
        if (version != Protocol.VERSION) {
            count(Drop.UNSUPPORTED_VERSION);
            if (type == MessageType.INITIATION && length >= Protocol.FRAGMENT_HEADER_LENGTH) {
                int initiatorIndex = datagram.get(U32, INDEX_OFFSET);
                sendError(source, initiatorIndex, ErrorCode.UNSUPPORTED_VERSION, new byte[] {Protocol.VERSION}, out);
            }
            return;
        }
        switch (type) {
            case DATA, CLOSE -> receiveData(source, datagram, length, nowNanos, out);
            case INITIATION, RESPONSE, CONFIRM -> receiveFragment(source, type, datagram, length, nowNanos, out);
            case COOKIE_REPLY -> receiveCookieReply(source, datagram, length, nowNanos, out);
            case HANDSHAKE_ERROR -> receiveError(source, datagram, length, nowNanos, out);
        }
    }

    /** Runs the timers: retransmissions, rekeys, keepalives, dead-peer detection, expiry. */
    public void tick(long nowNanos, EndpointOutput out) {
        reassembler.expire(nowNanos);
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (nowNanos - p.deadlineNanos() >= 0) {
                p.handshake().close();
                pendingByInitiator.remove(p.initiator());
                it.remove();
            }
        }
        for (Peer peer : new ArrayList<>(peersByName.values())) {
            absorbDataPlane(peer, nowNanos, out);
            tickPeer(peer, nowNanos, out);
        }
    }

    @Override
    public void close() {
        for (Pending p : pending.values()) {
            p.handshake().close();
        }
        pending.clear();
        pendingByInitiator.clear();
        for (Peer peer : peersByName.values()) {
            peer.closeHandshake();
            peer.keypairs.clear();
        }
        peersByIndex.clear();
        arena.close();
    }

    // ---- data packets ------------------------------------------------------------------------

    private void receiveData(InetSocketAddress source, MemorySegment datagram, int length, long nowNanos,
            EndpointOutput out) {
        if (length < Protocol.DATA_OVERHEAD) {
            count(Drop.TOO_SHORT);
            return;
        }
        int receiverIndex = datagram.get(U32, INDEX_OFFSET);
        Peer peer = peersByIndex.get(receiverIndex);
        Keypair keypair = peer == null ? null : peer.keypairs.lookup(receiverIndex);
        if (keypair == null) {
            count(Drop.UNKNOWN_RECEIVER);
            return;
        }
        MemorySegment buffer = datagram;
        if (datagram.isReadOnly()) {
            MemorySegment.copy(datagram, 0, scratch, 0, length);
            buffer = scratch;
        }
        int plaintext = keypair.open(0, buffer, length, nowNanos);
        if (plaintext < 0) {
            count(Drop.DATA_REJECTED);
            return;
        }
        peer.lastReceivedNanos = nowNanos;
        peer.packetsReceived++;
        peer.unansweredSinceNanos = Long.MIN_VALUE;
        if (plaintext > 0) {
            peer.keepaliveDue = true;
        }
        if (keypair == peer.keypairs.next()) {
            long started = peer.attemptStartedNanos;
            peer.keypairs.promoteNext(keypair);
            peer.endAttempt();
            peer.currentIsOurs = true;
            out.event(new PeerEvent.Established(peer, keypair.suite(), true, peer.keypairs.previous() != null,
                    started == Long.MIN_VALUE ? -1 : nowNanos - started));
            flushStaged(peer, nowNanos, out);
        }
        if (!source.equals(peer.endpoint)) {
            InetSocketAddress from = peer.endpoint;
            peer.endpoint = source;
            validated.put(source, nowNanos);
            if (from != null) {
                out.event(new PeerEvent.Roamed(peer, from, source));
            }
        }
        int typeCode = buffer.get(ValueLayout.JAVA_BYTE, 0);
        if (typeCode == MessageType.CLOSE.code()) {
            tearDown(peer, ErrorCode.PEER_CLOSED, out);
            return;
        }
        // the data plane counts what it opens; these are the ones it handed here (a new keypair's
        // first packets, a new address), so that rx_packets holds every data packet accepted
        peer.traffic.packetsReceived.incrementAndGet();
        peer.traffic.bytesReceived.addAndGet(plaintext);
        if (plaintext > 0) {
            out.deliver(peer, buffer, Protocol.DATA_HEADER_LENGTH, plaintext);
        }
    }

    private boolean seal(Peer peer, Keypair keypair, MemorySegment packet, long offset, int length, MessageType type,
            long nowNanos, EndpointOutput out) {
        MemorySegment.copy(packet, offset, scratch, Protocol.DATA_HEADER_LENGTH, length);
        int datagramLength = keypair.seal(0, scratch, length, type.code(), nowNanos);
        if (datagramLength < 0) {
            return false;
        }
        out.transmit(peer.endpoint, scratch, datagramLength);
        peer.packetsSent++;
        if (type == MessageType.DATA) { // as the data plane counts its own: tx_packets holds every data packet sealed
            peer.traffic.packetsSent.incrementAndGet();
            peer.traffic.bytesSent.addAndGet(length);
        }
        peer.keepaliveDue = false;
        if (length > 0 && peer.unansweredSinceNanos == Long.MIN_VALUE) {
            peer.unansweredSinceNanos = nowNanos;
        }
        return true;
    }

    private Keypair usableSendKeypair(Peer peer, long nowNanos) {
        Keypair keypair = peer.sendingKeypair();
        if (keypair == null || nowNanos - keypair.createdNanos() >= Protocol.REJECT_AFTER_TIME
                || keypair.sendCounter() >= Protocol.REJECT_AFTER_MESSAGES) {
            return null;
        }
        return keypair;
    }

    private void stage(Peer peer, MemorySegment packet, long offset, int length) {
        if (peer.staged.size() >= Peer.MAX_STAGED) {
            peer.staged.pollFirst();
            peer.stagedDropped++;
            peer.traffic.droppedNoKeys.incrementAndGet();
            count(Drop.STAGED_OVERFLOW);
        }
        byte[] copy = new byte[length];
        MemorySegment.copy(packet, offset, MemorySegment.ofArray(copy), 0, length);
        peer.staged.addLast(copy);
    }

    private void flushStaged(Peer peer, long nowNanos, EndpointOutput out) {
        while (!peer.staged.isEmpty()) {
            Keypair keypair = usableSendKeypair(peer, nowNanos);
            if (keypair == null || peer.endpoint == null) {
                return;
            }
            byte[] packet = peer.staged.pollFirst();
            seal(peer, keypair, MemorySegment.ofArray(packet), 0, packet.length, MessageType.DATA, nowNanos, out);
        }
    }

    private void maybeRekeyOnSend(Peer peer, Keypair keypair, long nowNanos, EndpointOutput out) {
        if (peer.attemptStartedNanos != Long.MIN_VALUE || peer.endpoint == null
                || peer.config().endpoint() == null && !peer.currentIsOurs) {
            return;
        }
        long age = nowNanos - keypair.createdNanos();
        long limit = peer.currentIsOurs ? config.rekeyAfterNanos()
                : Protocol.REJECT_AFTER_TIME - Protocol.KEEPALIVE_TIMEOUT - Protocol.HANDSHAKE_RETRY_MAX;
        if (age >= limit || keypair.sendCounter() >= Protocol.REJECT_AFTER_MESSAGES / 2) {
            connect(peer, nowNanos, out);
        }
    }

    // ---- timers ------------------------------------------------------------------------------

    private void tickPeer(Peer peer, long nowNanos, EndpointOutput out) {
        if (peer.keypairs.expire(nowNanos, Protocol.REJECT_AFTER_TIME)) {
            refreshIndexes(peer);
            if (peer.sendingKeypair() == null && peer.handshake == null) {
                out.event(new PeerEvent.Closed(peer, ErrorCode.KEYS_EXPIRED));
            }
        }
        if (peer.attemptStartedNanos != Long.MIN_VALUE) {
            if (nowNanos - peer.attemptStartedNanos >= Protocol.REKEY_ATTEMPT_TIME) {
                giveUp(peer, out);
                return;
            }
            if (nowNanos - peer.nextRetryNanos >= 0) {
                peer.retryInterval = Math.min(peer.retryInterval * 2, Protocol.HANDSHAKE_RETRY_MAX);
                if (peer.pendingConfirm == null) {
                    if (peer.handshake != null && peer.retransmissions < MAX_RETRANSMISSIONS) {
                        peer.retransmissions++;
                        for (byte[] datagram : peer.initiationDatagrams) {
                            transmit(peer.endpoint, datagram, out);
                        }
                        peer.nextRetryNanos = nowNanos + peer.retryInterval;
                    } else {
                        sendInitiation(peer, nowNanos, out);
                    }
                } else {
                    for (byte[] datagram : peer.pendingConfirm) {
                        transmit(peer.endpoint, datagram, out);
                    }
                    peer.nextRetryNanos = nowNanos + peer.retryInterval;
                }
            }
            return;
        }
        Keypair keypair = peer.keypairs.current();
        if (keypair == null || peer.endpoint == null) {
            return;
        }
        boolean canInitiate = peer.config().endpoint() != null || peer.currentIsOurs;
        if (canInitiate && peer.unansweredSinceNanos != Long.MIN_VALUE
                && nowNanos - peer.unansweredSinceNanos >= Protocol.DEAD_PEER_TIMEOUT) {
            connect(peer, nowNanos, out);
            return;
        }
        if (peer.keepaliveDue && nowNanos - peer.lastReceivedNanos >= Protocol.KEEPALIVE_TIMEOUT) {
            seal(peer, keypair, scratch, 0, 0, MessageType.DATA, nowNanos, out);
        }
    }

    /**
     * Folds what the data plane did since the last tick ({@link PeerTraffic}) into the peer's
     * timers, so that keepalives, dead-peer detection and rekeying see the traffic the endpoint
     * never touched. Inexact by at most one tick interval, which the timers (seconds) absorb.
     */
    private void absorbDataPlane(Peer peer, long nowNanos, EndpointOutput out) {
        PeerTraffic t = peer.traffic;
        long received = t.lastReceivedNanos;
        if (received != Long.MIN_VALUE && (peer.lastReceivedNanos == Long.MIN_VALUE || received - peer.lastReceivedNanos > 0)) {
            peer.lastReceivedNanos = received;
            if (peer.unansweredSinceNanos != Long.MIN_VALUE && received - peer.unansweredSinceNanos >= 0) {
                peer.unansweredSinceNanos = Long.MIN_VALUE;
            }
        }
        long sent = t.lastSentNanos;
        long payloadReceived = t.lastPayloadReceivedNanos;
        if (sent != t.absorbedSentNanos) {
            t.absorbedSentNanos = sent;
            peer.keepaliveDue = false;
            long payloadSent = t.lastPayloadSentNanos;
            if (payloadSent != Long.MIN_VALUE && peer.unansweredSinceNanos == Long.MIN_VALUE
                    && (peer.lastReceivedNanos == Long.MIN_VALUE || payloadSent - peer.lastReceivedNanos > 0)) {
                peer.unansweredSinceNanos = payloadSent;
            }
            Keypair keypair = usableSendKeypair(peer, nowNanos);
            if (keypair != null) {
                maybeRekeyOnSend(peer, keypair, nowNanos, out);
            }
        }
        if (payloadReceived != t.absorbedPayloadReceivedNanos) {
            t.absorbedPayloadReceivedNanos = payloadReceived;
            if (sent == Long.MIN_VALUE || payloadReceived - sent > 0) {
                peer.keepaliveDue = true;
            }
        }
    }

    private void giveUp(Peer peer, EndpointOutput out) {
        if (peer.pendingConfirm != null) {
            peer.keypairs.dropNext(peer.keypairs.next());
        }
        peer.endAttempt();
        peer.unansweredSinceNanos = Long.MIN_VALUE;
        peer.dead = true;
        peer.staged.clear();
        refreshIndexes(peer);
        out.event(new PeerEvent.Dead(peer));
    }

    private void tearDown(Peer peer, ErrorCode reason, EndpointOutput out) {
        peer.endAttempt();
        peer.staged.clear();
        peer.keypairs.clear();
        refreshIndexes(peer);
        out.event(new PeerEvent.Closed(peer, reason));
    }

    // ---- handshakes: initiator ---------------------------------------------------------------

    private void sendInitiation(Peer peer, long nowNanos, EndpointOutput out) {
        if (peer.handshake != null) {
            peer.handshake.close();
        }
        Suite suite = peer.suiteOverride != null ? peer.suiteOverride : handshake.suites().get(0);
        byte[] cookie = peer.cookie != null && nowNanos - peer.cookieReceivedNanos < Protocol.COOKIE_SECRET_LIFETIME
                ? peer.cookie : null;
        int padding = peer.paddingOverride >= 0 ? peer.paddingOverride
                : HandshakeSizes.initiationPadding(suite, handshake.suites().size(), maxResponseBytes(suite));
        InitiatorHandshake attempt = InitiatorHandshake.start(handshake, suite, peer.config().expectedSubject(), cookie,
                padding);
        peer.handshake = attempt;
        peer.retransmissions = 0;
        peer.initiationDatagrams = Fragmenter.fragment(attempt.initiation(), Protocol.MAX_HANDSHAKE_DATAGRAM);
        peer.nextRetryNanos = nowNanos + peer.retryInterval;
        for (byte[] datagram : peer.initiationDatagrams) {
            transmit(peer.endpoint, datagram, out);
        }
    }

    private int maxResponseBytes(Suite suite) {
        int max = 0;
        for (Certificate root : handshake.trust().roots()) {
            max = Math.max(max, HandshakeSizes.maxResponseBytes(suite, root.keyAlgorithm()));
        }
        return max;
    }

    private Peer initiatingPeer(int senderIndex) {
        for (Peer peer : peersByName.values()) {
            if (peer.handshake != null && peer.handshake.senderIndex() == senderIndex) {
                return peer;
            }
        }
        return null;
    }

    private void onResponse(InetSocketAddress source, HandshakeMessage message, long nowNanos, EndpointOutput out) {
        Peer peer = initiatingPeer(message.receiverIndex());
        if (peer == null) {
            count(Drop.UNEXPECTED_HANDSHAKE_MESSAGE);
            return;
        }
        InitiatorHandshake attempt = peer.handshake;
        InitiatorHandshake.Completion completion;
        try {
            completion = attempt.onResponse(message);
        } catch (ProtocolException e) {
            count(Drop.HANDSHAKE_REFUSED);
            out.event(new PeerEvent.HandshakeFailed(peer, source, e.error(), e.getMessage(), true));
            scheduleRetry(peer, nowNanos);
            return;
        } finally {
            attempt.close();
        }
        peer.handshake = null;
        peer.forgetRetries();
        Established established = completion.established();
        Keypair keypair = newKeypair(established, nowNanos);
        peer.identity = PeerIdentity.of(established.peerCertificate());
        install(peer, keypair, Slot.NEXT);
        List<byte[]> confirm = Fragmenter.fragment(completion.confirm(), Protocol.MAX_HANDSHAKE_DATAGRAM);
        peer.pendingConfirm = confirm;
        peer.nextRetryNanos = nowNanos + peer.retryInterval;
        for (byte[] datagram : confirm) {
            transmit(peer.endpoint, datagram, out);
        }
        if (peer.keypairs.current() == null) {
            flushStaged(peer, nowNanos, out);
        }
    }

    /** After a failed attempt, the next one waits for the retry timer (an attacker cannot make us spin). */
    private void scheduleRetry(Peer peer, long nowNanos) {
        peer.closeHandshake();
        peer.pendingConfirm = null;
        if (peer.attemptStartedNanos == Long.MIN_VALUE) {
            peer.attemptStartedNanos = nowNanos;
        }
        peer.nextRetryNanos = nowNanos + peer.retryInterval;
    }

    private void receiveCookieReply(InetSocketAddress source, MemorySegment datagram, int length, long nowNanos,
            EndpointOutput out) {
        CookieReply reply;
        try {
            reply = CookieReply.parse(datagram, length);
        } catch (ProtocolException e) {
            count(Drop.MALFORMED_CONTROL);
            return;
        }
        Peer peer = initiatingPeer(reply.receiverIndex());
        if (peer == null || !source.equals(peer.endpoint) || peer.cookieRetried) {
            count(Drop.UNEXPECTED_HANDSHAKE_MESSAGE);
            return;
        }
        peer.cookie = reply.cookie();
        peer.cookieReceivedNanos = nowNanos;
        peer.cookieRetried = true;
        sendInitiation(peer, nowNanos, out);
    }

    private void receiveError(InetSocketAddress source, MemorySegment datagram, int length, long nowNanos,
            EndpointOutput out) {
        HandshakeError error;
        try {
            error = HandshakeError.parse(datagram, length);
        } catch (ProtocolException e) {
            count(Drop.MALFORMED_CONTROL);
            return;
        }
        Peer peer = initiatingPeer(error.receiverIndex());
        if (peer == null) {
            peer = peersByIndex.get(error.receiverIndex());
            Keypair next = peer == null ? null : peer.keypairs.next();
            if (next == null || next.localIndex() != error.receiverIndex() || peer.pendingConfirm == null) {
                count(Drop.UNEXPECTED_HANDSHAKE_MESSAGE);
                return;
            }
            // The responder refused our CONFIRM: the unconfirmed keypair is useless.
            peer.keypairs.dropNext(next);
            refreshIndexes(peer);
            out.event(new PeerEvent.HandshakeFailed(peer, source, error.code(), error.code().description(), false));
            scheduleRetry(peer, nowNanos);
            return;
        }
        byte[] detail = error.detail();
        if ((error.code() == ErrorCode.UNSUPPORTED_SUITE || error.code() == ErrorCode.DOWNGRADE_DETECTED)
                && !peer.suiteRetried && detail.length == 1) {
            Suite suite = Suite.fromId(detail[0] & 0xFF);
            if (suite != null && handshake.suites().contains(suite) && suite != peer.handshake.suite()) {
                peer.suiteRetried = true;
                peer.suiteOverride = suite;
                sendInitiation(peer, nowNanos, out);
                return;
            }
        }
        if (error.code() == ErrorCode.INITIATION_TOO_SHORT && detail.length == 4 && !peer.paddingRetried) {
            int needed = ByteBuffer.wrap(detail).getInt();
            Suite suite = peer.handshake.suite();
            int padding = HandshakeSizes.initiationPadding(suite, handshake.suites().size(), needed * 3);
            if (padding > peer.handshake.initiationBody().paddingLength()) {
                peer.paddingRetried = true;
                peer.paddingOverride = padding;
                sendInitiation(peer, nowNanos, out);
                return;
            }
        }
        out.event(new PeerEvent.HandshakeFailed(peer, source, error.code(), error.code().description(), false));
        scheduleRetry(peer, nowNanos);
    }

    // ---- handshakes: responder ---------------------------------------------------------------

    private void receiveFragment(InetSocketAddress source, MessageType type, MemorySegment datagram, int length,
            long nowNanos, EndpointOutput out) {
        boolean firstOfInitiation = type == MessageType.INITIATION && length >= Protocol.FRAGMENT_HEADER_LENGTH
                && datagram.get(ValueLayout.JAVA_BYTE, 14) == 0;
        if (firstOfInitiation) {
            rotateInitiationWindow(nowNanos);
            initiationsThisWindow++;
        }
        boolean underLoad = isUnderLoad(nowNanos);
        if (firstOfInitiation) {
            int initiatorIndex = datagram.get(U32, INDEX_OFFSET);
            if (initiatorIndex == 0) { // no initiation has sender index 0, and no reply could name it
                count(Drop.FRAGMENT_REJECTED);
                return;
            }
            // section 7's order: the per-source rate limit, then the cookie if under load
            if (!rateLimiter.tryAcquire(source.getAddress(), nowNanos)) {
                count(Drop.RATE_LIMITED);
                return;
            }
            if (underLoad && !hasValidCookie(source, datagram, length, initiatorIndex, nowNanos)) {
                TokenBucket budget = validated.containsKey(source) ? knownSourceCookieReplies : cookieReplies;
                if (!budget.tryTake(nowNanos)) {
                    count(Drop.COOKIE_BUDGET); // spoofed sources beyond what the gateway answers: no work at all
                    return;
                }
                count(Drop.COOKIE_REQUIRED);
                transmit(source, CookieReply.encode(initiatorIndex, cookies.cookie(source, COOKIE_ANY_INDEX, nowNanos)), out);
                return;
            }
        }
        reassembler.acceptNewOnlyFromFragmentZero(underLoad);
        Reassembler.Result result = reassembler.accept(source, datagram, length, nowNanos);
        if (result instanceof Reassembler.Dropped) {
            count(Drop.FRAGMENT_REJECTED);
            return;
        }
        if (!(result instanceof Reassembler.Complete complete)) {
            return;
        }
        HandshakeMessage message = complete.message();
        switch (message.type()) {
            case INITIATION -> onInitiation(source, message, complete.datagramBytes(), nowNanos, out);
            case RESPONSE -> onResponse(source, message, nowNanos, out);
            case CONFIRM -> onConfirm(source, message, nowNanos, out);
            default -> count(Drop.UNEXPECTED_HANDSHAKE_MESSAGE);
        }
    }

    private boolean hasValidCookie(InetSocketAddress source, MemorySegment datagram, int length, int initiatorIndex,
            long nowNanos) {
        if (length < Protocol.FRAGMENT_HEADER_LENGTH + Protocol.COOKIE_LENGTH) {
            return false;
        }
        byte[] cookie = datagram.asSlice(Protocol.FRAGMENT_HEADER_LENGTH, Protocol.COOKIE_LENGTH)
                .toArray(ValueLayout.JAVA_BYTE);
        boolean none = true;
        for (byte b : cookie) {
            none &= b == 0;
        }
        // "no cookie" is all zeros (section 5.1): answered without computing two MACs, which
        // matters when a flood of cookie-less initiations arrives
        return !none && cookies.isValid(cookie, source, COOKIE_ANY_INDEX, nowNanos);
    }

    private void rotateInitiationWindow(long nowNanos) {
        long elapsed = nowNanos - initiationWindowStart;
        if (elapsed >= 1_000_000_000L) {
            initiationsLastWindow = elapsed >= 2_000_000_000L ? 0 : initiationsThisWindow;
            initiationsThisWindow = 0;
            initiationWindowStart = nowNanos;
        }
    }

    /**
     * Whether the responder is under load and answers a new initiation without a valid cookie
     * with a cookie reply: more than an eighth of the pending-handshake table in use, the
     * reassembler under pressure, or more than {@link Protocol#UNDER_LOAD_INITIATIONS} initiations
     * in a second, and for {@link Protocol#UNDER_LOAD_HOLD} after the last of these signs
     * (docs/PROTOCOL.md section 7). Endpoint thread only.
     */
    public boolean underLoad(long nowNanos) {
        return isUnderLoad(nowNanos);
    }

    /**
     * Under load while a sign of it lasts, and {@link Protocol#UNDER_LOAD_HOLD} after its last
     * sign (docs/PROTOCOL.md section 7). The hold matters: in cookie mode a flood stops creating
     * partial messages, so pressure alone would fall and rise again every few seconds, and the
     * initiation count of a second keeps the state for as long as the flood lasts.
     */
    private boolean isUnderLoad(long nowNanos) {
        rotateInitiationWindow(nowNanos);
        boolean sign = pending.size() > Protocol.MAX_PENDING_HANDSHAKES / 8 || reassembler.isUnderPressure()
                || Math.max(initiationsThisWindow, initiationsLastWindow) > Protocol.UNDER_LOAD_INITIATIONS;
        if (sign) {
            underLoadUntil = nowNanos + Protocol.UNDER_LOAD_HOLD;
            loadSeen = true;
        }
        return loadSeen && nowNanos - underLoadUntil < 0;
    }

    private void onInitiation(InetSocketAddress source, HandshakeMessage message, int receivedBytes, long nowNanos,
            EndpointOutput out) {
        InitiatorKey initiator = new InitiatorKey(source, message.senderIndex());
        byte[] digest = io.qgate.crypto.kdf.Sha3.sha3_256(message.canonical());
        Integer known = pendingByInitiator.get(initiator);
        Pending earlier = known == null ? null : pending.get(known);
        if (earlier != null && java.util.Arrays.equals(earlier.initiationDigest(), digest)) {
            // A retransmission: our response was lost. Resend it without new public-key work; the
            // retransmitted initiation carries as many bytes as the first, so 3x still holds.
            for (byte[] datagram : earlier.response()) {
                transmit(source, datagram, out);
            }
            return;
        }
        Initiation initiation;
        try {
            initiation = ResponderHandshake.check(handshake, message);
        } catch (ProtocolException e) {
            count(Drop.HANDSHAKE_REFUSED);
            byte[] detail = new byte[0];
            if (e.error() == ErrorCode.UNSUPPORTED_SUITE || e.error() == ErrorCode.DOWNGRADE_DETECTED) {
                Suite preferred = preferredOffered(message);
                detail = new byte[] {(byte) (preferred == null ? 0 : preferred.id())};
            }
            out.event(new PeerEvent.HandshakeFailed(null, source, e.error(), e.getMessage(), true));
            sendError(source, message.senderIndex(), e.error(), detail, out);
            return;
        }
        boolean addressValidated = validated.containsKey(source)
                || cookies.isValid(initiation.cookie(), source, COOKIE_ANY_INDEX, nowNanos);
        int responseBytes = ResponderHandshake.responseBytes(handshake, initiation.chosenSuite());
        if (!AmplificationBudget.mayRespond(receivedBytes, responseBytes, addressValidated)) {
            count(Drop.AMPLIFICATION_LIMIT);
            int needed = (responseBytes + Protocol.AMPLIFICATION_FACTOR - 1) / Protocol.AMPLIFICATION_FACTOR;
            sendError(source, message.senderIndex(), ErrorCode.INITIATION_TOO_SHORT,
                    ByteBuffer.allocate(4).putInt(needed).array(), out);
            return;
        }
        if (pending.size() >= Protocol.MAX_PENDING_HANDSHAKES) {
            Iterator<Pending> oldest = pending.values().iterator();
            Pending evicted = oldest.next();
            evicted.handshake().close();
            pendingByInitiator.remove(evicted.initiator());
            oldest.remove();
            count(Drop.PENDING_FULL);
        }
        ResponderHandshake responder;
        try {
            responder = ResponderHandshake.respond(handshake, message, initiation);
        } catch (ProtocolException e) {
            count(Drop.HANDSHAKE_REFUSED);
            out.event(new PeerEvent.HandshakeFailed(null, source, e.error(), e.getMessage(), true));
            sendError(source, message.senderIndex(), e.error(), new byte[0], out);
            return;
        }
        List<byte[]> response = Fragmenter.fragment(responder.response(), Protocol.MAX_HANDSHAKE_DATAGRAM);
        if (earlier != null) {
            pending.remove(known).handshake().close();
        }
        pending.put(responder.localIndex(), new Pending(responder, source, nowNanos, nowNanos + Protocol.HANDSHAKE_TIMEOUT,
                initiator, digest, response));
        pendingByInitiator.put(initiator, responder.localIndex());
        for (byte[] datagram : response) {
            transmit(source, datagram, out);
        }
    }

    private Suite preferredOffered(HandshakeMessage message) {
        try {
            return ResponderHandshake.preferredOffered(handshake, Initiation.parse(message.body()));
        } catch (ProtocolException e) {
            return null;
        }
    }

    private void onConfirm(InetSocketAddress source, HandshakeMessage message, long nowNanos, EndpointOutput out) {
        Pending entry = pending.get(message.receiverIndex());
        if (entry == null || !entry.source().equals(source)) {
            Peer peer = peersByIndex.get(message.receiverIndex());
            Keypair keypair = peer == null ? null : peer.keypairs.lookup(message.receiverIndex());
            if (keypair != null && keypair.remoteIndex() == message.senderIndex() && peer.endpoint != null) {
                // A retransmitted CONFIRM: our acknowledgement was lost. Answer at the peer's
                // known endpoint only, so a spoofed source cannot aim it elsewhere.
                seal(peer, keypair, scratch, 0, 0, MessageType.DATA, nowNanos, out);
            } else {
                count(Drop.UNEXPECTED_HANDSHAKE_MESSAGE);
            }
            return;
        }
        pending.remove(message.receiverIndex());
        pendingByInitiator.remove(entry.initiator());
        ResponderHandshake responder = entry.handshake();
        Established established;
        try {
            established = responder.onConfirm(message);
        } catch (ProtocolException e) {
            count(Drop.HANDSHAKE_REFUSED);
            out.event(new PeerEvent.HandshakeFailed(null, source, e.error(), e.getMessage(), true));
            sendError(source, message.senderIndex(), e.error(), new byte[0], out);
            return;
        } finally {
            responder.close();
        }
        Peer peer = peerFor(established);
        if (peer == null) {
            eraseChains(established);
            ErrorCode error = ErrorCode.UNEXPECTED_PEER;
            String subject = established.peerCertificate() == null ? "an anonymous initiator"
                    : "'" + established.peerCertificate().subject() + "'";
            out.event(new PeerEvent.HandshakeFailed(null, source, error, subject + " is not a configured peer", true));
            sendError(source, message.senderIndex(), error, new byte[0], out);
            return;
        }
        if (peer.handshake != null || peer.pendingConfirm != null) { // both sides started a handshake at once
            if (winsCollision(peer)) {
                // ours goes on, and the peer drops its own when our CONFIRM reaches it (below, on its
                // side); its keypair only opens here, for what it sealed before (its first packets)
                install(peer, newKeypair(established, nowNanos), Slot.PREVIOUS);
                count(Drop.HANDSHAKE_COLLISION);
                return;
            }
            abandonAttempt(peer);
        }
        boolean rekey = peer.keypairs.current() != null;
        Keypair keypair = newKeypair(established, nowNanos);
        peer.identity = PeerIdentity.of(established.peerCertificate());
        install(peer, keypair, Slot.CURRENT);
        peer.currentIsOurs = false;
        peer.dead = false;
        InetSocketAddress from = peer.endpoint;
        peer.endpoint = source;
        validated.put(source, nowNanos);
        if (from != null && !from.equals(source) && rekey) {
            out.event(new PeerEvent.Roamed(peer, from, source));
        }
        out.event(new PeerEvent.Established(peer, established.suite(), false, rekey, nowNanos - entry.receivedNanos()));
        seal(peer, keypair, scratch, 0, 0, MessageType.DATA, nowNanos, out);
        flushStaged(peer, nowNanos, out);
    }

    /**
     * Of two crossing handshakes, whether ours is kept: ours if our certificate subject sorts
     * before the peer's (as at start-up, where that side connects first). Both sides decide alike,
     * so they end with the same keypair, and only its initiator rekeys it; keeping both would
     * leave each side sending under its own key and push a key still in use out of the three slots.
     * Without a subject on either side (an anonymous client), the peer's handshake is kept.
     */
    private boolean winsCollision(Peer peer) {
        Certificate ours = handshake.certificate();
        return ours != null && ours.subject().compareTo(subjectOf(peer)) < 0;
    }

    /** Ends our own handshake attempt with {@code peer}, dropping its unconfirmed keypair if it got that far. */
    private void abandonAttempt(Peer peer) {
        if (peer.pendingConfirm != null && peer.keypairs.next() != null) {
            peer.keypairs.dropNext(peer.keypairs.next());
            refreshIndexes(peer);
        }
        peer.endAttempt();
    }

    /** The certificate subject a peer expects: its configured subject, or its name. */
    private static String subjectOf(Peer peer) {
        String expected = peer.config().expectedSubject();
        return expected != null ? expected : peer.name();
    }

    private Peer peerFor(Established established) {
        Certificate certificate = established.peerCertificate();
        if (certificate != null) {
            Peer peer = peersBySubject.get(certificate.subject());
            if (peer != null) {
                return peer;
            }
        }
        if (!config.acceptUnknownPeers()) {
            return null;
        }
        String name = certificate != null ? certificate.subject() : "anonymous-" + Integer.toUnsignedString(
                established.remoteIndex(), 16);
        Peer peer = peersByName.get(name);
        return peer != null ? peer : addPeer(new PeerConfig(name, certificate == null ? null : certificate.subject(), null));
    }

    // ---- shared ------------------------------------------------------------------------------

    /**
     * A keypair with worker 0 for this endpoint's thread and {@code 1..dataWorkers} for the data
     * plane. Where data workers carry the traffic, worker 0 seals and opens only a few packets per
     * keypair, so its ciphers come from the JDK (cheap to create and close); alone, the endpoint
     * carries everything on the configured backend.
     */
    private Keypair newKeypair(Established established, long nowNanos) {
        Backend data = config.aeadBackends().backendFor(established.suite().aead());
        Backend worker0 = config.dataWorkers() > 0 ? Backend.JDK : data;
        return new Keypair(established.suite(), established.localIndex(), established.remoteIndex(),
                established.sendChain(), established.receiveChain(), nowNanos, 1 + config.dataWorkers(), data, worker0);
    }

    private static void eraseChains(Established established) {
        established.chains().initiatorToResponder().destroy();
        established.chains().responderToInitiator().destroy();
    }

    /** Where {@link #install} puts a new keypair. */
    private enum Slot {
        /** A responder's, after the peer's CONFIRM. */
        CURRENT,
        /** An initiator's, after the peer's RESPONSE, until the first packet under it. */
        NEXT,
        /** The peer's of a crossing handshake that lost: it only opens ({@link #winsCollision}). */
        PREVIOUS
    }

    /**
     * Installs a new keypair in {@code peer}'s {@code slot} and registers its index. The index
     * version moves before the keypair becomes visible: the data plane may seal with it at once
     * and the peer answer under it before the index map is republished, and a worker that misses
     * the index must see that its map is behind (and hand the packet here) rather than drop it.
     */
    private void install(Peer peer, Keypair keypair, Slot slot) {
        indexVersion++;
        switch (slot) {
            case CURRENT -> peer.keypairs.installCurrent(keypair);
            case NEXT -> peer.keypairs.installNext(keypair);
            case PREVIOUS -> peer.keypairs.installPrevious(keypair);
        }
        refreshIndexes(peer);
    }

    private void refreshIndexes(Peer peer) {
        indexVersion++;
        for (int index : peer.indexes) {
            if (peersByIndex.get(index) == peer) {
                peersByIndex.remove(index);
            }
        }
        List<Keypair> keypairs = peer.keypairs.all();
        peer.indexes = new int[keypairs.size()];
        for (int i = 0; i < peer.indexes.length; i++) {
            peer.indexes[i] = keypairs.get(i).localIndex();
            peersByIndex.put(peer.indexes[i], peer);
        }
    }

    private void sendError(InetSocketAddress destination, int receiverIndex, ErrorCode error, byte[] detail,
            EndpointOutput out) {
        transmit(destination, new HandshakeError(error, receiverIndex, detail).encode(), out);
    }

    private void transmit(InetSocketAddress destination, byte[] datagram, EndpointOutput out) {
        out.transmit(destination, MemorySegment.ofArray(datagram), datagram.length);
    }

    private void count(Drop reason) {
        drops.get(reason)[0]++;
    }
}
