package io.qgate.bench;

import io.qgate.crypto.Backend;
import io.qgate.crypto.SecretBytes;
import io.qgate.crypto.aead.AeadAlgorithm;
import io.qgate.crypto.aead.AeadCipher;
import io.qgate.crypto.aead.Aeads;
import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.engine.protocol.Established;
import io.qgate.engine.protocol.HandshakeConfig;
import io.qgate.engine.protocol.HandshakeMessage;
import io.qgate.engine.protocol.Initiation;
import io.qgate.engine.protocol.InitiatorHandshake;
import io.qgate.engine.protocol.ProtocolException;
import io.qgate.engine.protocol.ResponderHandshake;
import io.qgate.engine.protocol.Suite;
import io.qgate.engine.trust.Certificate;
import io.qgate.engine.trust.CertificateAuthority;
import io.qgate.engine.trust.CertificateRole;
import io.qgate.engine.trust.SigningIdentity;
import io.qgate.engine.trust.TrustStore;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time of each handshake step of each role (sections 5 to 8 of {@code docs/PROTOCOL.md}), on
 * one thread, per suite, with mutual authentication and certificates from an ML-DSA-65 root. One operation is
 * one step: {@code initiatorStart} (INITIATION), {@code responderRespond} (check and RESPONSE),
 * {@code initiatorFinish} (verify RESPONSE, build CONFIRM), {@code responderFinish} (verify
 * CONFIRM). A responder's CPU per handshake is {@code responderRespond + responderFinish};
 * {@code fullHandshake} runs all four steps in one call as a check on the sum of the parts.
 * {@code sealHandshakeMessage} isolates one step's AEAD per backend (see {@link AeadMessage}).
 *
 * <p>Certificate cache: the trust store remembers certificates whose signature verified, since a
 * gateway sees the same clients again. {@code trustCache=warm} measures a peer certificate seen
 * before; {@code trustCache=cold} gives each operation a new trust store, so the certificate's
 * signature is verified inside the measurement (a client's first handshake since the gateway
 * started, or more distinct clients than {@link TrustStore#VERIFIED_CACHE_CAPACITY}).
 *
 * <p>Why the finish steps use {@code Level.Invocation} setup: an initiator and a pending responder
 * each accept exactly one message and then erase their keys, so every operation needs a fresh
 * half-done handshake, and how many operations an iteration runs is not known in advance, so a
 * pool built per iteration could run dry. JMH warns that per-invocation setup distorts
 * operations that take microseconds or less (timestamping around each call, the setup's work
 * evicting caches); these operations take hundreds of microseconds, so the timestamps cost well
 * under 0.1% and the cache effect resembles a gateway interleaving many handshakes anyway.
 * {@code fullHandshake} (no per-invocation setup at all) checks that the parts add up.
 * {@code responderRespond} needs no fresh state: the responder keeps none until it responds, so
 * it cycles through a pool of initiations built once per iteration.
 *
 * <p>Run: {@code benchmarks/run HandshakeBenchmark -f 1 -wi 3 -i 5 -w 2 -r 3}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.AGRONA_EXPORTS, Jvm.ML_DSA_OPENS, Jvm.AES_GCM_OPENS, Jvm.UNSAFE_ALLOW})
public class HandshakeBenchmark {
    private static final String GATEWAY = "gw.example";
    private static final long DAY = 86_400;

    /** A root, a gateway and a client for one suite, and their configurations with warm trust stores. */
    @State(Scope.Benchmark)
    public static class Parties {
        @Param({"MLKEM768_MLDSA65_AES256GCM", "MLKEM1024_MLDSA87_AES256GCM", "XWING_MLDSA65_AES256GCM",
                "MLKEM768_MLDSA65_CHACHA20POLY1305"})
        public String suite;

        Suite chosen;
        Certificate root;
        HandshakeConfig client;
        HandshakeConfig gateway;
        private final SecureRandom random = new SecureRandom();

        @Setup(Level.Trial)
        public void setUp() throws ProtocolException {
            chosen = Suite.valueOf(suite);
            long now = System.currentTimeMillis() / 1000;
            CertificateAuthority authority = CertificateAuthority.createRoot("bench-root",
                    SigningIdentity.generate(SignatureAlgorithm.ML_DSA_65, random), Suite.VALID_MASK,
                    now - DAY, now + 3650 * DAY, random);
            root = authority.root();
            client = config(authority, CertificateRole.CLIENT, "alice@example");
            gateway = config(authority, CertificateRole.GATEWAY, GATEWAY);
            // One handshake so that each side's trust store has verified the other's certificate.
            Established established = handshake(client, gateway);
            if (established.peerCertificate() == null) {
                throw new IllegalStateException("the responder did not authenticate the initiator");
            }
            retire(established);
        }

        private HandshakeConfig config(CertificateAuthority authority, CertificateRole role, String subject) {
            SigningIdentity key = SigningIdentity.generate(chosen.signature(), random);
            long now = System.currentTimeMillis() / 1000;
            Certificate certificate = authority.issue(role, subject, key.publicKey(), chosen.signature(),
                    chosen.bit(), now - DAY, now + 365 * DAY);
            return HandshakeConfig.of(certificate, key, new TrustStore(List.of(root)), List.of(chosen), random);
        }

        /** {@code config} with a trust store that has verified nothing yet. */
        HandshakeConfig withColdTrust(HandshakeConfig config) {
            return new HandshakeConfig(config.certificate(), config.identity(), new TrustStore(List.of(root)),
                    config.suites(), config.requireClientAuthentication(), config.wallClockMillis(),
                    config.timestampWindowMillis(), config.random());
        }

        InitiatorHandshake start(HandshakeConfig initiatorConfig) {
            return InitiatorHandshake.start(initiatorConfig, chosen, GATEWAY, null, 0);
        }
    }

    /** Whether the peer's certificate is in the verifying side's cache ({@code warm}) or not ({@code cold}). */
    @State(Scope.Benchmark)
    public static class TrustCache {
        @Param({"warm", "cold"})
        public String trustCache;

        HandshakeConfig apply(Parties parties, HandshakeConfig config) {
            return trustCache.equals("cold") ? parties.withColdTrust(config) : config;
        }
    }

    /** Initiations for the responder to answer, built once per iteration and answered in turn. */
    @State(Scope.Thread)
    public static class Initiations {
        static final int POOL = 64;
        final HandshakeMessage[] messages = new HandshakeMessage[POOL];
        int next;

        @Setup(Level.Iteration)
        public void fill(Parties parties) {
            for (int i = 0; i < POOL; i++) {
                try (InitiatorHandshake initiator = parties.start(parties.client)) {
                    messages[i] = initiator.initiation();
                }
            }
        }

        HandshakeMessage next() {
            HandshakeMessage message = messages[next];
            next = (next + 1) % POOL;
            return message;
        }
    }

    /** An initiator whose RESPONSE has arrived but is not yet processed. */
    @State(Scope.Thread)
    public static class AwaitingResponse {
        InitiatorHandshake initiator;
        HandshakeMessage response;

        @Setup(Level.Invocation)
        public void prepare(Parties parties, TrustCache cache) throws ProtocolException {
            initiator = parties.start(cache.apply(parties, parties.client));
            HandshakeMessage initiation = initiator.initiation();
            Initiation parsed = ResponderHandshake.check(parties.gateway, initiation);
            try (ResponderHandshake responder = ResponderHandshake.respond(parties.gateway, initiation, parsed)) {
                response = responder.response();
            }
        }

        @TearDown(Level.Invocation)
        public void close() {
            initiator.close();
        }
    }

    /** A pending responder whose CONFIRM has arrived but is not yet processed. */
    @State(Scope.Thread)
    public static class AwaitingConfirm {
        ResponderHandshake responder;
        HandshakeMessage confirm;

        @Setup(Level.Invocation)
        public void prepare(Parties parties, TrustCache cache) throws ProtocolException {
            HandshakeConfig gateway = cache.apply(parties, parties.gateway);
            try (InitiatorHandshake initiator = parties.start(parties.client)) {
                HandshakeMessage initiation = initiator.initiation();
                responder = ResponderHandshake.respond(gateway, initiation, ResponderHandshake.check(gateway, initiation));
                InitiatorHandshake.Completion completion = initiator.onResponse(responder.response());
                retire(completion.established());
                confirm = completion.confirm();
            }
        }

        @TearDown(Level.Invocation)
        public void close() {
            responder.close();
        }
    }

    /**
     * One handshake message's AEAD as {@code HandshakeCrypto} does it, on a chosen backend: a
     * cipher for a single-use key, one seal of the suite's RESPONSE payload (certificate,
     * signature and finished with their lengths), close. Each call takes a
     * new nonce because the JDK's ChaCha20-Poly1305 refuses the handshake's all-zero one.
     */
    @State(Scope.Thread)
    public static class AeadMessage {
        @Param({"jdk", "openssl"})
        public String aeadBackend;

        Backend backend;
        AeadAlgorithm algorithm;
        final SecretBytes key = SecretBytes.wrap(new byte[32]);
        final byte[] nonce = new byte[12];
        final byte[] transcriptHash = new byte[32];
        byte[] buffer;
        int payloadLength;
        long counter;

        @Setup(Level.Trial)
        public void setUp(Parties parties) {
            backend = Backend.fromId(aeadBackend);
            algorithm = parties.chosen.aead();
            payloadLength = 2 + parties.gateway.certificate().encoded().length + 2
                    + parties.chosen.signature().signatureLength() + 32;
            buffer = new byte[payloadLength + 16];
        }
    }

    @Benchmark
    public int sealHandshakeMessage(AeadMessage state) {
        ByteBuffer.wrap(state.nonce).putLong(4, ++state.counter);
        try (AeadCipher aead = Aeads.create(state.backend, state.algorithm, state.key)) {
            return aead.seal(MemorySegment.ofArray(state.nonce), MemorySegment.ofArray(state.transcriptHash),
                    MemorySegment.ofArray(state.buffer), state.payloadLength);
        }
    }

    @Benchmark
    public HandshakeMessage initiatorStart(Parties parties) {
        try (InitiatorHandshake initiator = parties.start(parties.client)) {
            return initiator.initiation();
        }
    }

    @Benchmark
    public HandshakeMessage responderRespond(Parties parties, Initiations initiations) throws ProtocolException {
        HandshakeMessage initiation = initiations.next();
        Initiation parsed = ResponderHandshake.check(parties.gateway, initiation);
        try (ResponderHandshake responder = ResponderHandshake.respond(parties.gateway, initiation, parsed)) {
            return responder.response();
        }
    }

    @Benchmark
    public HandshakeMessage initiatorFinish(AwaitingResponse state) throws ProtocolException {
        InitiatorHandshake.Completion completion = state.initiator.onResponse(state.response);
        retire(completion.established());
        return completion.confirm();
    }

    @Benchmark
    public byte[] responderFinish(AwaitingConfirm state) throws ProtocolException {
        return retire(state.responder.onConfirm(state.confirm));
    }

    @Benchmark
    public byte[] fullHandshake(Parties parties) throws ProtocolException {
        return retire(handshake(parties.client, parties.gateway));
    }

    /** Both roles, all four steps; returns the responder's result, the initiator's is retired. */
    static Established handshake(HandshakeConfig client, HandshakeConfig gateway) throws ProtocolException {
        try (InitiatorHandshake initiator = InitiatorHandshake.start(client, client.suites().get(0), GATEWAY, null, 0)) {
            HandshakeMessage initiation = initiator.initiation();
            Initiation parsed = ResponderHandshake.check(gateway, initiation);
            try (ResponderHandshake responder = ResponderHandshake.respond(gateway, initiation, parsed)) {
                InitiatorHandshake.Completion completion = initiator.onResponse(responder.response());
                retire(completion.established());
                return responder.onConfirm(completion.confirm());
            }
        }
    }

    /** Erases the traffic chains, as the session that would own them does when it ends; returns TH7. */
    static byte[] retire(Established established) {
        established.chains().initiatorToResponder().destroy();
        established.chains().responderToInitiator().destroy();
        return established.transcriptHash();
    }
}
