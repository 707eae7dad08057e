package io.qgate.engine.control;

import io.qgate.engine.protocol.InitiatorHandshake;
import io.qgate.engine.protocol.Suite;
import io.qgate.engine.session.Keypair;
import io.qgate.engine.session.Keypairs;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One remote side: its endpoint address, its previous/current/next keypairs, the handshake in
 * progress and the timers of section 8. Owned by one {@link Endpoint} and changed only from its
 * thread; the getters are for status and tests.
 */
public final class Peer {
    /** Packets queued while no keypair can send: bounded, the oldest dropped (and counted) first. */
    static final int MAX_STAGED = 128;

    private final PeerConfig config;
    final Keypairs keypairs = new Keypairs();
    /** What the data plane did with this peer's keys; the endpoint folds it in at each tick. */
    final PeerTraffic traffic;
    /** The local indexes of our keypairs as last registered with the endpoint. */
    int[] indexes = new int[0];
    InetSocketAddress endpoint;
    /** What the last handshake proved of the peer; null if none or anonymous. */
    PeerIdentity identity;

    InitiatorHandshake handshake;
    long attemptStartedNanos = Long.MIN_VALUE;
    long nextRetryNanos = Long.MAX_VALUE;
    long retryInterval;
    boolean cookieRetried;
    boolean suiteRetried;
    boolean paddingRetried;
    List<byte[]> initiationDatagrams;
    int retransmissions;
    Suite suiteOverride;
    int paddingOverride = -1;
    byte[] cookie;
    long cookieReceivedNanos;

    List<byte[]> pendingConfirm;
    boolean currentIsOurs;
    long lastReceivedNanos = Long.MIN_VALUE;
    /** We received data and have sent nothing since: a keepalive is due after KEEPALIVE_TIMEOUT. */
    boolean keepaliveDue;
    /** When we first sent data that no authenticated packet has followed, or MIN_VALUE. */
    long unansweredSinceNanos = Long.MIN_VALUE;
    boolean dead;
    final ArrayDeque<byte[]> staged = new ArrayDeque<>();
    long stagedDropped;
    long packetsReceived;
    long packetsSent;

    Peer(PeerConfig config, PeerTraffic traffic) {
        this.config = config;
        this.traffic = traffic;
        this.endpoint = config.endpoint();
    }

    public String name() {
        return config.name();
    }

    public PeerConfig config() {
        return config;
    }

    /** Where packets to this peer go now (moved by roaming), or {@code null} if not yet known. */
    public InetSocketAddress endpoint() {
        return endpoint;
    }

    /** What the last handshake's verified certificate said of the peer; {@code null} if none or anonymous. */
    public PeerIdentity identity() {
        return identity;
    }

    /** The keypair we send with, or {@code null}. */
    public Keypair sendingKeypair() {
        Keypair current = keypairs.current();
        return current != null ? current : keypairs.next();
    }

    public PeerTraffic traffic() {
        return traffic;
    }

    /** The previous, current and next keypairs (the data plane reads them; only the endpoint changes them). */
    public Keypairs keypairs() {
        return keypairs;
    }

    /** Whether a handshake we initiated is in flight. */
    public boolean handshaking() {
        return handshake != null;
    }

    /** Whether the last handshake attempts failed for {@code REKEY_ATTEMPT_TIME}. */
    public boolean dead() {
        return dead;
    }

    public long packetsReceived() {
        return packetsReceived;
    }

    public long packetsSent() {
        return packetsSent;
    }

    /** Packets dropped because too many were waiting for a handshake. */
    public long stagedDropped() {
        return stagedDropped;
    }

    /** Closes the handshake we initiated, if one is in flight. */
    void closeHandshake() {
        if (handshake != null) {
            handshake.close();
            handshake = null;
        }
    }

    /**
     * Ends the attempt, however it ended (the peer confirmed, we gave up, the session was torn
     * down): no handshake in flight, no CONFIRM to repeat, no retry timer.
     */
    void endAttempt() {
        closeHandshake();
        pendingConfirm = null;
        attemptStartedNanos = Long.MIN_VALUE;
        nextRetryNanos = Long.MAX_VALUE;
    }

    /** Forgets the one-time retries of an attempt (cookie, suite, padding) and what they changed. */
    void forgetRetries() {
        suiteOverride = null;
        paddingOverride = -1;
        allowRetries();
    }

    /**
     * Lets a new attempt use each one-time retry again, keeping what earlier ones learned (the
     * suite and padding the responder asked for still hold).
     */
    void allowRetries() {
        cookieRetried = false;
        suiteRetried = false;
        paddingRetried = false;
    }

    @Override
    public String toString() {
        return "Peer[" + config.name() + " at " + endpoint + "]";
    }
}
